/**
 * Which notifier watch picks where there is no desktop. The D-Bus choice on a real desktop is
 * tested in test/desktop/notifier.test.ts.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger, NotificationIntent } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import { createSystemNotifier, sessionBusAddress } from './select.js';

const intent: NotificationIntent = {
  key: 'cirrus:build:3',
  title: 'Build passed: acme/widgets',
  body: 'main @ 3f2a9c1',
  url: 'https://cirrus-ci.com/build/3',
  urgency: 'low',
  actions: [],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'buildbell-select-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createSystemNotifier on Linux', () => {
  it('logs notifications when there is neither a session bus nor notify-send', async () => {
    const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const notifier = await createSystemNotifier({ platform: 'linux', env: { PATH: dir, DISPLAY: ':99' }, logger });

    expect(notifier.describe).toBe('terminal only (no D-Bus session and no notify-send)');
    await notifier.show(intent);
    expect(logger.info).toHaveBeenCalledWith('Build passed: acme/widgets · main @ 3f2a9c1', { url: intent.url });
    await notifier.close();
  });

  it('does not pick notify-send when there is no bus and no display for it to reach', async () => {
    const notifySend = path.join(dir, 'notify-send');
    await writeFile(notifySend, '#!/bin/sh\necho 5\n');
    await chmod(notifySend, 0o755);
    const notifier = await createSystemNotifier({ platform: 'linux', env: { PATH: dir }, logger: silentLogger });
    expect(notifier.describe).toBe('terminal only (no D-Bus session and no display)');
    await notifier.close();
  });

  it('falls back to notify-send on PATH when the session bus does not answer, and says why', async () => {
    const notifySend = path.join(dir, 'notify-send');
    await writeFile(notifySend, '#!/bin/sh\necho 5\n');
    await chmod(notifySend, 0o755);
    const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

    const notifier = await createSystemNotifier({
      platform: 'linux',
      env: { PATH: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` },
      logger,
    });

    expect(notifier.describe).toBe(`${notifySend} (clicks are not reported)`);
    expect(logger.warn).toHaveBeenCalledWith('D-Bus notification service unavailable', expect.objectContaining({ error: expect.stringMatching(/ENOENT/) }));
    await notifier.close();
  });
});

describe('createSystemNotifier on macOS and Windows', () => {
  it('uses node-notifier without running anything until a notification is shown', async () => {
    const mac = await createSystemNotifier({ platform: 'darwin', env: {}, logger: silentLogger });
    const windows = await createSystemNotifier({ platform: 'win32', env: {}, logger: silentLogger });

    expect(mac.describe).toBe('macOS Notification Center (node-notifier)');
    expect(windows.describe).toBe('Windows toast notifications (node-notifier)');
  });
});

describe('sessionBusAddress', () => {
  it('prefers DBUS_SESSION_BUS_ADDRESS', () => {
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x', XDG_RUNTIME_DIR: dir })).toBe('unix:path=/x');
  });

  it('falls back to the per-user bus in XDG_RUNTIME_DIR only when its socket exists', async () => {
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: dir })).toBeUndefined();
    await writeFile(path.join(dir, 'bus'), '');
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: dir })).toBe(`unix:path=${path.join(dir, 'bus')}`);
  });
});
