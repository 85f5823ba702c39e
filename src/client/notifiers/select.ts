/**
 * Picks the notifier `buildbell watch` uses on this machine, best first, and says which one it
 * picked so watch can print it: a user wondering why nothing pops up learns it from the first line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger, NotifierPort } from '../../core/ports.js';
import { findExecutable } from '../executables.js';
import { createLoggingNotifier } from './loggingNotifier.js';
import { createNodeNotifier } from './nodeNotifier.js';
import { createNotifySendNotifier } from './notifySend.js';

/** A notifier and a one-line description of it, e.g. "D-Bus notifications (unix:path=/run/user/1000/bus)". */
export interface SystemNotifier extends NotifierPort {
  readonly describe: string;
}

export interface SystemNotifierOptions {
  /** Usually `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** Usually `process.env`: `DBUS_SESSION_BUS_ADDRESS`, `XDG_RUNTIME_DIR` and `PATH` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** How long the D-Bus probe may take before falling back. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * The best notifier available. macOS and Windows: node-notifier. Elsewhere (Linux, the BSDs):
 * the freedesktop service over D-Bus when the session bus answers; else `notify-send` when it is
 * on PATH; else a notifier that only logs, so watch still works on a headless server.
 */
export async function createSystemNotifier(options: SystemNotifierOptions): Promise<SystemNotifier> {
  const { platform, env, logger, connectTimeoutMs } = options;
  if (platform === 'darwin') {
    return described(createNodeNotifier({ platform, logger }), 'macOS Notification Center (node-notifier)');
  }
  if (platform === 'win32') {
    return described(createNodeNotifier({ platform, logger }), 'Windows toast notifications (node-notifier)');
  }

  const busAddress = sessionBusAddress(env);
  if (busAddress !== undefined) {
    try {
      // Loaded only when there is a bus to talk to: the D-Bus client is a good part of a headless
      // watch's memory otherwise.
      const { connectFreedesktopNotifier } = await import('./freedesktop.js');
      const notifier = await connectFreedesktopNotifier({ busAddress, logger, connectTimeoutMs });
      return described(notifier, `desktop notifications over D-Bus (${busAddress})`);
    } catch (error) {
      logger.warn('D-Bus notification service unavailable', {
        busAddress,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  // notify-send talks D-Bus too: without a bus address or a display to autolaunch one from, it
  // can only fail on every notification, so the terminal is the honest choice then.
  const couldReachBus = busAddress !== undefined || Boolean(env['DISPLAY']) || Boolean(env['WAYLAND_DISPLAY']);
  const notifySend = couldReachBus ? await findExecutable('notify-send', env, platform) : undefined;
  if (notifySend !== undefined) {
    return described(
      createNotifySendNotifier({ logger, command: notifySend }),
      `${notifySend} (clicks are not reported)`,
    );
  }
  return described(createLoggingNotifier(logger), couldReachBus ? 'terminal only (no D-Bus session and no notify-send)' : 'terminal only (no D-Bus session and no display)');
}

/**
 * The session bus address: the environment's, or the per-user bus systemd puts at
 * `$XDG_RUNTIME_DIR/bus` (libdbus and GIO look there too when the variable is unset).
 */
export function sessionBusAddress(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromEnv = env.DBUS_SESSION_BUS_ADDRESS;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir === undefined || runtimeDir === '') return undefined;
  const socket = path.join(runtimeDir, 'bus');
  return existsSync(socket) ? `unix:path=${socket}` : undefined;
}

function described(notifier: NotifierPort, describe: string): SystemNotifier {
  return {
    describe,
    show: (intent) => notifier.show(intent),
    onActivate: (listener) => notifier.onActivate(listener),
    close: () => notifier.close(),
  };
}
