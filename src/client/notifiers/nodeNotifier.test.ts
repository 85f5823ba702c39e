import { describe, expect, it, vi } from 'vitest';
import type { Logger, NotificationActionId, NotificationIntent } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { NodeNotifierBackend, NodeNotifierCallback } from './nodeNotifier.js';
import { createNodeNotifier, nodeNotifierOptions } from './nodeNotifier.js';

const intent: NotificationIntent = {
  key: 'cirrus:build:9',
  title: 'Build failed: acme/widgets',
  body: 'main @ 3f2a9c1',
  url: 'https://cirrus-ci.com/build/9',
  urgency: 'critical',
  actions: [],
};

/** A node-notifier stand-in that keeps each callback, to play the user's click later. */
function fakeBackend() {
  const calls: { options: Record<string, unknown>; callback: NodeNotifierCallback }[] = [];
  const backend: NodeNotifierBackend = {
    notify(options, callback) {
      calls.push({ options, callback });
    },
  };
  return { backend, calls };
}

describe('nodeNotifierOptions', () => {
  it('groups by key on macOS, so a newer notification of the build replaces the older', () => {
    expect(nodeNotifierOptions(intent, 'darwin')).toEqual({
      title: intent.title,
      message: intent.body,
      wait: true,
      group: intent.key,
      timeout: 60,
      sound: true,
    });
  });

  it('names the app on Windows', () => {
    expect(nodeNotifierOptions(intent, 'win32')).toEqual({ title: intent.title, message: intent.body, wait: true, appID: 'buildbell' });
  });
});

describe('createNodeNotifier', () => {
  it('reports a click (node-notifier "activate") as open for the key', async () => {
    const { backend, calls } = fakeBackend();
    const notifier = createNodeNotifier({ platform: 'darwin', logger: silentLogger, backend });
    const activations: [string, NotificationActionId][] = [];
    notifier.onActivate((key, action) => activations.push([key, action]));

    await notifier.show(intent);
    calls[0]?.callback(null, 'timeout');
    calls[0]?.callback(null, 'activate');

    expect(activations).toEqual([[intent.key, 'open']]);
  });

  it('logs what node-notifier reports as an error', async () => {
    const { backend, calls } = fakeBackend();
    const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const notifier = createNodeNotifier({ platform: 'win32', logger, backend });

    await notifier.show(intent);
    calls[0]?.callback(new Error('SnoreToast failed'), '');

    expect(logger.error).toHaveBeenCalledWith('node-notifier failed', { key: intent.key, error: 'SnoreToast failed' });
  });
});
