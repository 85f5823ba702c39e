/**
 * Connection failures of the D-Bus notifier, without a desktop. What it does on a real one
 * (drawn, clicked, replaced) is in test/desktop/notifier.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports.js';
import { connectFreedesktopNotifier } from './freedesktop.js';

describe('connectFreedesktopNotifier', () => {
  it('rejects an address it cannot parse', async () => {
    await expect(connectFreedesktopNotifier({ busAddress: 'nonsense', logger: silentLogger })).rejects.toThrow(
      /cannot use D-Bus address "nonsense"/,
    );
  });

  it('rejects when nothing listens at the address', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'buildbell-dbus-'));
    try {
      const busAddress = `unix:path=${path.join(dir, 'missing')}`;
      await expect(connectFreedesktopNotifier({ busAddress, logger: silentLogger })).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up after the timeout when the peer never answers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'buildbell-dbus-'));
    // A socket that accepts and then says nothing: a hung bus must not hang watch's start-up.
    const silent = createServer(() => {});
    const socketPath = path.join(dir, 'bus');
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    try {
      const started = Date.now();
      await expect(
        connectFreedesktopNotifier({ busAddress: `unix:path=${socketPath}`, logger: silentLogger, connectTimeoutMs: 200 }),
      ).rejects.toThrow(/no answer from org.freedesktop.Notifications/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
