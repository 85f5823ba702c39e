/**
 * While the engine replays what happened during a disconnect or before a restart, notifications
 * are collected here instead of shown, and the replay ends with one notification: the single
 * build's own when only one build has news, else a summary. A build that changed several times
 * while away counts once, as it ended up.
 */
import type { NotificationIntent } from '../ports.js';
import { summariseNotifications, type NotificationCandidate } from './summary.js';

export class CatchUpDigest {
  #items: Map<string, NotificationCandidate> | undefined;

  get active(): boolean {
    return this.#items !== undefined;
  }

  /** Starts collecting; a second call while collecting keeps what was collected. */
  begin(): void {
    this.#items ??= new Map();
  }

  /** Collects a notification; false (and nothing collected) when no catch-up is under way. */
  collect(candidate: NotificationCandidate): boolean {
    if (!this.#items) return false;
    // Delete first so the map's order is the order of the builds' latest news.
    this.#items.delete(candidate.intent.key);
    this.#items.set(candidate.intent.key, candidate);
    return true;
  }

  /** True when a notification with this key is being collected. */
  isHeld(key: string): boolean {
    return this.#items?.has(key) ?? false;
  }

  /** Ends the catch-up; returns the one notification to show, or null when nothing happened. */
  end(): NotificationIntent | null {
    const items = this.#items;
    this.#items = undefined;
    if (!items || items.size === 0) return null;
    if (items.size === 1) return [...items.values()][0]!.intent;
    return summariseNotifications([...items.values()], 'catch-up');
  }
}
