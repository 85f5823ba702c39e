/**
 * NotifierPort over the freedesktop Notifications service (`org.freedesktop.Notifications` on the
 * session bus): what dunst, GNOME Shell, KDE Plasma, xfce4-notifyd and mako implement on Linux and
 * the BSDs. Unlike notify-send it keeps one connection open, so it hears clicks (`ActionInvoked`)
 * and can replace a build's notification in place (`replaces_id`).
 */
import dbus from '@particle/dbus-next';
import type { MessageBus } from '@particle/dbus-next';
import type { Logger, NotificationActionId, NotificationIntent, NotifierPort } from '../../core/ports.js';
import { displayIntent } from '../../core/text/displayIntent.js';
import {
  APP_NAME,
  DESKTOP_ENTRY,
  NOTIFICATION_CATEGORY,
  actionIdForKey,
  actionList,
  bodyFor,
  urgencyByte,
} from './freedesktopFormat.js';

const SERVICE = 'org.freedesktop.Notifications';
const OBJECT_PATH = '/org/freedesktop/Notifications';

/**
 * The interface as the spec defines it. Passing it to dbus-next skips `Introspect`, so a server
 * whose introspection data is incomplete (or absent) still gets called with the right signatures.
 */
const INTERFACE_XML = `<node><interface name="${SERVICE}">
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="Notify">
    <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
    <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
    <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
  </method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
</interface></node>`;

/** The members of the proxy this notifier calls, typed (dbus-next types every member as `any`). */
interface NotificationsInterface {
  GetCapabilities(): Promise<string[]>;
  Notify(
    appName: string,
    replacesId: number,
    appIcon: string,
    summary: string,
    body: string,
    actions: string[],
    hints: Record<string, InstanceType<typeof dbus.Variant>>,
    expireTimeout: number,
  ): Promise<number>;
  on(signal: 'ActionInvoked', listener: (id: number, actionKey: string) => void): void;
  on(signal: 'NotificationClosed', listener: (id: number, reason: number) => void): void;
  removeListener(signal: string, listener: (...args: never[]) => void): void;
}

/** `expire_timeout` of -1 lets the server apply its own per-urgency timeouts (the user's choice). */
const SERVER_DEFAULT_TIMEOUT = -1;

export interface FreedesktopNotifierOptions {
  /** The session bus address, e.g. the value of `DBUS_SESSION_BUS_ADDRESS`. */
  readonly busAddress: string;
  /** Where bus errors go once connected; they never reject `show` or crash the process. */
  readonly logger: Logger;
  /** How long connecting and asking the server for its capabilities may take. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * How long one `Notify` call may take. Default 5000 ms. dbus-next never settles a call whose
   * connection closed under it, so without this a lost bus would stall every later `show`.
   */
  readonly callTimeoutMs?: number;
}

/**
 * Connects to the session bus and checks a notification server answers there (`GetCapabilities`,
 * which also starts a D-Bus-activatable server). Rejects when either fails, so a caller can fall
 * back to another notifier; after that, every error is logged instead of thrown.
 */
export async function connectFreedesktopNotifier(options: FreedesktopNotifierOptions): Promise<NotifierPort> {
  const { busAddress, logger, connectTimeoutMs = 2000, callTimeoutMs = 5000 } = options;
  let bus: MessageBus;
  try {
    bus = dbus.sessionBus({ busAddress });
  } catch (error) {
    // dbus-next throws synchronously on an address it cannot parse.
    throw new Error(`cannot use D-Bus address ${JSON.stringify(busAddress)}: ${errorMessage(error)}`);
  }
  let notifier: FreedesktopNotifier | undefined;
  const failedBeforeConnect = new Promise<never>((_, reject) => {
    bus.on('error', (error: unknown) => {
      if (notifier) notifier.connectionLost(error);
      else reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
  try {
    const started = (async () => {
      const proxy = await bus.getProxyObject(SERVICE, OBJECT_PATH, INTERFACE_XML);
      const service = proxy.getInterface(SERVICE) as unknown as NotificationsInterface;
      const capabilities = await service.GetCapabilities();
      return { service, capabilities };
    })();
    const { service, capabilities } = await withTimeout(
      Promise.race([started, failedBeforeConnect]),
      connectTimeoutMs,
      `no answer from ${SERVICE} on ${busAddress} within ${connectTimeoutMs} ms`,
    );
    notifier = new FreedesktopNotifier(bus, service, new Set(capabilities), logger, callTimeoutMs);
    return notifier;
  } catch (error) {
    bus.disconnect();
    throw error;
  }
}

class FreedesktopNotifier implements NotifierPort {
  /** intent.key → the server's id of the notification now showing it. */
  private readonly idsByKey = new Map<string, number>();
  private readonly keysById = new Map<number, string>();
  private readonly listeners: ((key: string, action: NotificationActionId) => void)[] = [];
  /** Shows run one after another, so a second show of a key sees the id the first one got. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set by the first connection error: dbus-next documents the bus as possibly unusable after one. */
  private lost = false;
  /** Rejects on the connection error, ending calls dbus-next would leave pending forever. */
  private readonly lostSignal: Promise<never>;
  private rejectLost: (error: Error) => void = () => {};

  constructor(
    private readonly bus: MessageBus,
    private readonly service: NotificationsInterface,
    private readonly capabilities: ReadonlySet<string>,
    private readonly logger: Logger,
    private readonly callTimeoutMs: number,
  ) {
    this.lostSignal = new Promise<never>((_, reject) => {
      this.rejectLost = reject;
    });
    this.lostSignal.catch(() => {
      // Observed by the call racing it, if one is in flight.
    });
    service.on('ActionInvoked', this.handleActionInvoked);
    service.on('NotificationClosed', this.handleClosed);
  }

  show(intent: NotificationIntent): Promise<void> {
    this.queue = this.queue.then(() => this.notify(intent));
    return this.queue;
  }

  onActivate(listener: (key: string, action: NotificationActionId) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.service.removeListener('ActionInvoked', this.handleActionInvoked);
    this.service.removeListener('NotificationClosed', this.handleClosed);
    this.bus.disconnect();
  }

  /** Called for a bus error after connecting: logged once, and later shows fail fast. */
  connectionLost(error: unknown): void {
    if (this.lost || this.closed) return;
    this.lost = true;
    this.rejectLost(new Error(`D-Bus connection lost: ${errorMessage(error)}`));
    this.logger.error('D-Bus connection lost; notifications are no longer shown', { error: errorMessage(error) });
  }

  private async notify(raw: NotificationIntent): Promise<void> {
    // dbus-next refuses a string with a NUL ("String contains null byte"), so the notification
    // would be lost, and a lone surrogate would arrive as U+FFFD: clean here whoever built the intent.
    const intent = displayIntent(raw);
    if (this.closed || this.lost) {
      this.logger.error('notification dropped: the D-Bus connection is closed', { key: intent.key, title: intent.title });
      return;
    }
    const replacesId = this.idsByKey.get(intent.key) ?? 0;
    const hints = {
      urgency: new dbus.Variant('y', urgencyByte(intent.urgency)),
      'desktop-entry': new dbus.Variant('s', DESKTOP_ENTRY),
      category: new dbus.Variant('s', NOTIFICATION_CATEGORY),
      // Replaced in place already; an update is no reason for the server to play a sound.
      ...(intent.quiet ? { 'suppress-sound': new dbus.Variant('b', true) } : {}),
    };
    try {
      const call = this.service.Notify(
        APP_NAME,
        replacesId,
        '',
        intent.title,
        bodyFor(intent, this.capabilities.has('body-markup')),
        actionList(intent, this.capabilities.has('actions')),
        hints,
        SERVER_DEFAULT_TIMEOUT,
      );
      const id = await withTimeout(
        Promise.race([call, this.lostSignal]),
        this.callTimeoutMs,
        `${SERVICE}.Notify got no answer within ${this.callTimeoutMs} ms`,
      );
      // A server may answer a replacement with a new id (if the old one was closed meanwhile).
      if (replacesId !== 0 && replacesId !== id) this.keysById.delete(replacesId);
      this.idsByKey.set(intent.key, id);
      this.keysById.set(id, intent.key);
    } catch (error) {
      this.logger.error('could not show notification over D-Bus', { key: intent.key, error: errorMessage(error) });
    }
  }

  // Arrow properties so the same function can be removed again in close().
  private readonly handleActionInvoked = (id: number, actionKey: string): void => {
    // The signal is broadcast to every client: ids this notifier did not create are someone else's.
    const key = this.keysById.get(id);
    if (key === undefined) return;
    const action = actionIdForKey(actionKey);
    if (action === undefined) {
      this.logger.warn('notification server invoked an unknown action', { key, actionKey });
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(key, action);
      } catch (error) {
        this.logger.error('notification click handler failed', { key, action, error: errorMessage(error) });
      }
    }
  };

  private readonly handleClosed = (id: number): void => {
    const key = this.keysById.get(id);
    if (key === undefined) return;
    this.keysById.delete(id);
    // Only forget the key if it still points here; a replacement may already have a newer id.
    if (this.idsByKey.get(key) === id) this.idsByKey.delete(key);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
