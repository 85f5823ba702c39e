/**
 * The NotifierPort on Electron's Notification. What a notification says is decided by the engine
 * (NotificationIntent); `notificationOptions` maps an intent to Electron's options as plain data,
 * and the notifier only shows, replaces and routes clicks. On macOS the intent's actions become
 * buttons (Approve, Re-run failed tasks); elsewhere Electron offers no buttons, so a click opens
 * the build and the tray menu carries the actions.
 */
import type { NotificationActionId, NotificationIntent, NotifierPort } from '../core/ports.js';
import { displayIntent } from '../core/text/displayIntent.js';
import { escapeMarkup } from '../client/notifiers/freedesktopFormat.js';
import { Notification, type NotificationConstructorOptions } from './electron.js';

/**
 * Electron's options for an intent on a platform. The text is cleaned again here, the last step
 * before the OS (on Linux Electron speaks D-Bus, which refuses a NUL), whoever built the intent.
 * On Linux the body is also escaped: Electron hands it to libnotify as it is, and the servers
 * people run read it as markup, so a log line with `<b>` or `&` would be rendered, or dropped.
 */
export function notificationOptions(raw: NotificationIntent, platform: NodeJS.Platform, icon?: string): NotificationConstructorOptions {
  const intent = displayIntent(raw);
  const buttons = platform === 'darwin' ? intent.actions : [];
  return {
    title: intent.title,
    body: platform === 'linux' ? escapeMarkup(intent.body) : intent.body,
    // Electron cannot replace a notification in place (a new one is shown for the old one), so an update is at least silent.
    silent: intent.urgency === 'low' || intent.quiet === true,
    urgency: intent.urgency,
    // A failure stays until seen where the platform allows it (Linux, Windows); others time out.
    timeoutType: intent.urgency === 'critical' ? 'never' : 'default',
    ...(icon !== undefined && platform !== 'darwin' ? { icon } : {}),
    ...(buttons.length > 0 ? { actions: buttons.map((action) => ({ type: 'button' as const, text: action.label })) } : {}),
  };
}

/** Which action a macOS button index stands for. */
export function actionAt(intent: NotificationIntent, index: number, platform: NodeJS.Platform): NotificationActionId | undefined {
  return platform === 'darwin' ? intent.actions[index]?.id : undefined;
}

export interface ElectronNotifierOptions {
  readonly platform: NodeJS.Platform;
  /** The app icon for Windows and Linux banners. */
  readonly icon?: string;
}

/** The app's notifier; one engine at a time: a later `onActivate` listener replaces the earlier one. */
export class ElectronNotifier implements NotifierPort {
  readonly #options: ElectronNotifierOptions;
  /** On screen, by intent key: kept so a newer intent replaces it and so it is not garbage-collected (its click would be lost). */
  readonly #shown = new Map<string, Notification>();
  #listener: ((key: string, action: NotificationActionId) => void) | undefined;

  constructor(options: ElectronNotifierOptions) {
    this.#options = options;
  }

  async show(intent: NotificationIntent): Promise<void> {
    this.#present(intent, (action) => this.#listener?.(intent.key, action));
  }

  /** Shows a notification outside the engine (the window's test), with its own click handler. */
  showOwn(intent: NotificationIntent, onClick: () => void): void {
    this.#present(intent, (action) => action === 'open' && onClick());
  }

  #present(intent: NotificationIntent, activate: (action: NotificationActionId) => void): void {
    if (!Notification.isSupported()) throw new Error('this desktop has no notification service');
    this.#shown.get(intent.key)?.close();
    const notification = new Notification(notificationOptions(intent, this.#options.platform, this.#options.icon));
    notification.on('click', () => activate('open'));
    notification.on('action', (_event, index) => {
      const action = actionAt(intent, index, this.#options.platform);
      if (action) activate(action);
    });
    notification.on('close', () => {
      if (this.#shown.get(intent.key) === notification) this.#shown.delete(intent.key);
    });
    this.#shown.set(intent.key, notification);
    notification.show();
  }

  onActivate(listener: (key: string, action: NotificationActionId) => void): void {
    this.#listener = listener;
  }

  async close(): Promise<void> {
    for (const notification of this.#shown.values()) notification.close();
    this.#shown.clear();
  }
}
