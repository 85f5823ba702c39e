/**
 * Keeps the item registered with the panel's `org.kde.StatusNotifierWatcher`. Registration lives
 * as long as the watcher process: when the panel restarts, a new watcher knows nothing of the
 * item. So the bus's `NameOwnerChanged` is followed, and the item registers again each time a
 * watcher appears. Where there is none (a bare X session, a desktop without a tray), that is said
 * once, and the item waits.
 */
import type { MessageBus } from '@particle/dbus-next';
import type { Logger } from '../../../core/ports.js';
import { errorText, withTimeout } from './busCalls.js';

export const WATCHER_NAME = 'org.kde.StatusNotifierWatcher';
const WATCHER_PATH = '/StatusNotifierWatcher';

/** Only the members called, so no introspection is needed (a watcher's may be incomplete). */
const WATCHER_XML = `<node><interface name="${WATCHER_NAME}">
  <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
</interface></node>`;
const BUS_XML = `<node><interface name="org.freedesktop.DBus">
  <method name="NameHasOwner"><arg type="s" direction="in"/><arg type="b" direction="out"/></method>
  <signal name="NameOwnerChanged"><arg type="s"/><arg type="s"/><arg type="s"/></signal>
</interface></node>`;

/** Registration attempts before giving up until the watcher restarts: 100 ms to 1.6 s apart, about 3 s in all. */
const RETRIES = 6;
const RETRY_BASE_MS = 100;

/** The sentence said once where no panel shows tray icons. */
export const NO_WATCHER_MESSAGE =
  `no tray on this desktop (nothing owns ${WATCHER_NAME} on the session bus); going on without a tray icon, ` +
  'which appears when a panel with a tray starts (GNOME: install the AppIndicator extension)';

export interface WatcherRegistrationOptions {
  readonly bus: MessageBus;
  /** The item's bus name, as the watcher is told it. */
  readonly serviceName: string;
  readonly logger: Logger;
  /** How long one call to the bus or the watcher may take. Default 5000 ms. */
  readonly callTimeoutMs?: number;
}

export interface WatcherRegistration {
  /** Stops following the watcher. */
  stop(): void;
}

interface BusInterface {
  NameHasOwner(name: string): Promise<boolean>;
  on(signal: 'NameOwnerChanged', listener: (name: string, oldOwner: string, newOwner: string) => void): void;
  removeListener(signal: 'NameOwnerChanged', listener: (name: string, oldOwner: string, newOwner: string) => void): void;
}

/** Registers now if a watcher is on the bus, and again whenever one appears. */
export async function followWatcher(options: WatcherRegistrationOptions): Promise<WatcherRegistration> {
  const { bus, serviceName, logger, callTimeoutMs = 5000 } = options;
  const proxy = await withTimeout(bus.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus', BUS_XML), callTimeoutMs, `the session bus did not answer within ${callTimeoutMs} ms`);
  const daemon = proxy.getInterface(
    'org.freedesktop.DBus',
  ) as unknown as BusInterface;
  let stopped = false;
  /** Each watcher that appears starts a new attempt; an older one still retrying gives up. */
  let attempt = 0;

  const register = async () => {
    const mine = ++attempt;
    for (let tries = 1; ; tries++) {
      try {
        const watcher = (await bus.getProxyObject(WATCHER_NAME, WATCHER_PATH, WATCHER_XML)).getInterface(WATCHER_NAME);
        await withTimeout(watcher['RegisterStatusNotifierItem']!(serviceName), callTimeoutMs, `${WATCHER_NAME} did not answer within ${callTimeoutMs} ms`);
        if (!stopped && mine === attempt) logger.info('tray icon registered with the panel', { watcher: WATCHER_NAME });
        return;
      } catch (error) {
        if (stopped || mine !== attempt) return;
        // A watcher may own its name a moment before its object answers (status-notifier-watcher
        // does): UnknownObject right after it appeared. Ask again, a little later each time.
        if (tries >= RETRIES) {
          logger.warn('could not register the tray icon with the panel; trying again when it restarts', { error: errorText(error) });
          return;
        }
        await delay(RETRY_BASE_MS * 2 ** (tries - 1));
      }
    }
  };
  const onOwnerChanged = (name: string, _oldOwner: string, newOwner: string) => {
    if (name === WATCHER_NAME && newOwner !== '' && !stopped) void register();
  };
  // Subscribed before asking, so a watcher starting in between is not missed.
  daemon.on('NameOwnerChanged', onOwnerChanged);
  if (await withTimeout(daemon.NameHasOwner(WATCHER_NAME), callTimeoutMs, `the session bus did not answer within ${callTimeoutMs} ms`)) {
    await register();
  } else {
    // Said once: a watcher that appears later is registered with in silence but for one line.
    logger.warn(NO_WATCHER_MESSAGE);
  }
  return {
    stop() {
      stopped = true;
      daemon.removeListener('NameOwnerChanged', onOwnerChanged);
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
