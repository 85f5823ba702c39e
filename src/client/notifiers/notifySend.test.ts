import { describe, expect, it, vi } from 'vitest';
import type { Logger, NotificationIntent } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import { createNotifySendNotifier, notifySendArgs } from './notifySend.js';

const intent: NotificationIntent = {
  key: 'cirrus:build:7',
  title: '-Build failed: acme/widgets',
  body: 'fix/<i> & more',
  url: 'https://cirrus-ci.com/build/7',
  urgency: 'critical',
  actions: [{ id: 'rerun', label: 'Re-run failed tasks' }],
};

describe('notifySendArgs', () => {
  it('passes title and escaped body after --, so neither is read as an option or markup', () => {
    expect(notifySendArgs(intent, undefined)).toEqual([
      '--app-name=buildbell',
      '--urgency=critical',
      '--category=x-buildbell.build',
      '--hint=string:desktop-entry:buildbell',
      '--print-id',
      '--',
      '-Build failed: acme/widgets',
      'fix/&lt;i&gt; &amp; more',
    ]);
  });

  it('asks to replace the notification it showed for the same key', () => {
    expect(notifySendArgs(intent, 12)).toContain('--replace-id=12');
  });
});

describe('createNotifySendNotifier', () => {
  it('replaces by key with the id notify-send printed', async () => {
    const run = vi.fn(async (_file: string, _args: readonly string[]) => '41\n');
    const notifier = createNotifySendNotifier({ logger: silentLogger, command: '/usr/bin/notify-send', run });

    await notifier.show(intent);
    await notifier.show(intent);
    await notifier.show({ ...intent, key: 'cirrus:build:8' });

    expect(run.mock.calls.map(([file]) => file)).toEqual(['/usr/bin/notify-send', '/usr/bin/notify-send', '/usr/bin/notify-send']);
    const replaceIds = run.mock.calls.map(([, args]) => args.find((arg) => arg.startsWith('--replace-id')));
    expect(replaceIds).toEqual([undefined, '--replace-id=41', undefined]);
  });

  it('logs a failure instead of rejecting', async () => {
    const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const notifier = createNotifySendNotifier({
      logger,
      run: async () => {
        throw new Error('spawn notify-send ENOENT');
      },
    });

    await expect(notifier.show(intent)).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith('notify-send failed', { key: intent.key, error: 'spawn notify-send ENOENT' });
  });
});
