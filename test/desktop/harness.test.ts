/**
 * The desktop harness itself: it names the fix when tools are missing, and it leaves nothing
 * running. The last test also shows the D-Bus notifier surviving the loss of its bus.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src/core/ports.js';
import { connectFreedesktopNotifier } from '../../src/client/notifiers/freedesktop.js';
import { desktopAvailable, desktopGate, requireDesktop, startDesktop } from '../support/desktop.js';

const gate = await desktopGate();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('desktop harness', () => {
  it('names every missing tool and the install script instead of failing cryptically', async () => {
    const { available, missing } = await desktopAvailable({ PATH: '' });
    expect(available).toBe(false);
    expect(missing).toEqual(['Xvfb', 'dbus-daemon', 'dunst', 'dunstctl', 'xdotool', 'import', 'notify-send']);
    await expect(requireDesktop({ PATH: '' })).rejects.toThrow(/`sudo apt-get install xvfb dbus-daemon dunst xdotool imagemagick libnotify-bin`/);
  });

  it('skips the desktop tests where programs are missing, naming them and the install command', async () => {
    expect(await desktopGate({ PATH: '' }, { dunst: 'dunst', dunstctl: 'dunst', xdotool: 'xdotool' })).toEqual({
      skip: true,
      skipNote: ' [skipped: dunst, dunstctl, xdotool missing: install with `sudo apt-get install dunst xdotool` or `sudo bash .ci/install-system-packages`]',
    });
  });

  it('fails instead of skipping under BUILDBELL_REQUIRE_DESKTOP=1, as CI sets it', async () => {
    await expect(desktopGate({ PATH: '', BUILDBELL_REQUIRE_DESKTOP: '1' }, { Xvfb: 'xvfb' }))
      .rejects.toThrow('BUILDBELL_REQUIRE_DESKTOP=1 and the desktop tests cannot run: Xvfb missing: install with `sudo apt-get install xvfb`');
  });

  it('lets the tests run where every program is there', async () => {
    // node is on PATH wherever the tests run.
    expect(await desktopGate({ PATH: process.env['PATH'] ?? '', BUILDBELL_REQUIRE_DESKTOP: '1' }, { node: 'nodejs' })).toEqual({ skip: false, skipNote: '' });
  });

  it.skipIf(gate.skip)(`stops every process it started; a notifier on it then logs errors instead of crashing${gate.skipNote}`, async () => {
    const desktop = await startDesktop();
    const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const notifier = await connectFreedesktopNotifier({ busAddress: desktop.env.DBUS_SESSION_BUS_ADDRESS ?? '', logger });
    expect(desktop.pids).toHaveLength(3);
    expect(desktop.pids.every(isRunning)).toBe(true);

    await desktop.stop();

    expect(desktop.pids.some(isRunning)).toBe(false);
    const intent = { key: 'k', title: 't', body: 'b', url: 'https://example.com/', urgency: 'low', actions: [] } as const;
    await expect(notifier.show(intent)).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith('D-Bus connection lost; notifications are no longer shown', expect.anything());
    // Later shows fail fast instead of waiting for a bus that is gone.
    const started = Date.now();
    await notifier.show(intent);
    expect(Date.now() - started).toBeLessThan(500);
    await notifier.close();
  });
});
