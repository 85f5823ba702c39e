/**
 * The one in-memory NotifierPort for tests: records what was shown (and what is on screen, by
 * key, as a real notifier replaces), and lets a test click a notification or one of its buttons.
 */
import type { NotificationActionId, NotificationIntent, NotifierPort } from '../../src/core/ports.js';

export class RecordingNotifier implements NotifierPort {
  /** Every intent shown, in order, replacements included. */
  readonly shown: NotificationIntent[] = [];
  /** What is on screen now: the latest intent per key. */
  readonly onScreen = new Map<string, NotificationIntent>();
  closed = false;
  /** When set, `show` rejects with it (a notifier that lost its daemon). */
  failWith: Error | undefined;
  readonly #listeners: Array<(key: string, action: NotificationActionId) => void> = [];

  async show(intent: NotificationIntent): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.shown.push(intent);
    this.onScreen.set(intent.key, intent);
  }

  onActivate(listener: (key: string, action: NotificationActionId) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Simulates the user clicking the notification (`open`) or a button. */
  click(key: string, action: NotificationActionId = 'open'): void {
    for (const listener of this.#listeners) listener(key, action);
  }

  titles(): string[] {
    return this.shown.map((intent) => intent.title);
  }
}
