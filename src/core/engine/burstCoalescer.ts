/**
 * Turns a burst of notifications into one summary. The first `threshold - 1` notifications in a
 * window are shown as they come (the common case stays instant); the one that makes `threshold`
 * within `windowMs` shows a summary of all of them instead, and every later one while the burst
 * lasts is folded into that summary. The summary is re-shown (same key, so it replaces) at most
 * once per window, so a long burst updates it without popping a banner per build. The burst ends
 * after `windowMs` without a new notification.
 *
 * No timers of its own: the caller asks `nextFlushAt()` and calls `flush(now)` then.
 */
import type { NotificationIntent } from '../ports.js';
import { summariseNotifications, type NotificationCandidate } from './summary.js';

export interface BurstOptions {
  /** Notifications within the window that make a burst. Default 5. */
  readonly threshold?: number;
  /** The window, in ms. Default 10 000. */
  readonly windowMs?: number;
}

interface Burst {
  /** By notification key: a build that changes again during the burst counts once, as it is now. */
  readonly items: Map<string, NotificationCandidate>;
  lastAt: number;
  summaryShownAt: number;
  /** True when items changed since the summary was last shown. */
  dirty: boolean;
}

export class BurstCoalescer {
  readonly threshold: number;
  readonly windowMs: number;
  /** Notifications shown individually, with when: the sliding window that detects a burst. */
  #recent: Array<{ readonly candidate: NotificationCandidate; readonly shownAt: number }> = [];
  #burst: Burst | undefined;

  constructor(options: BurstOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
    if (!Number.isInteger(this.threshold) || this.threshold < 2) {
      throw new TypeError(`threshold must be an integer of at least 2, got ${this.threshold}`);
    }
    if (!(this.windowMs > 0)) throw new TypeError(`windowMs must be positive, got ${this.windowMs}`);
  }

  /** Offers a notification; returns what to show now (the notification, a summary, or nothing). */
  offer(candidate: NotificationCandidate, now: number): NotificationIntent[] {
    const shown = this.#endBurstIfQuiet(now);
    const burst = this.#burst;
    if (burst) {
      burst.items.set(candidate.intent.key, candidate);
      burst.lastAt = now;
      burst.dirty = true;
      return shown;
    }
    this.#recent = this.#recent.filter((item) => now - item.shownAt < this.windowMs);
    this.#recent.push({ candidate, shownAt: now });
    const distinct = new Map(this.#recent.map(({ candidate: item }) => [item.intent.key, item]));
    if (distinct.size < this.threshold) return [...shown, candidate.intent];
    this.#burst = { items: distinct, lastAt: now, summaryShownAt: now, dirty: false };
    this.#recent = [];
    return [...shown, summariseNotifications([...distinct.values()], 'burst')];
  }

  /** True when a notification with this key is being folded into a burst summary. */
  isHeld(key: string): boolean {
    return this.#burst?.items.has(key) ?? false;
  }

  /** When `flush` has something to do, or null. */
  nextFlushAt(): number | null {
    const burst = this.#burst;
    if (!burst) return null;
    return burst.dirty ? burst.summaryShownAt + this.windowMs : burst.lastAt + this.windowMs;
  }

  /** Re-shows a changed summary once per window, and ends a burst that has gone quiet. */
  flush(now: number): NotificationIntent[] {
    const burst = this.#burst;
    if (!burst) return [];
    if (burst.dirty && now >= burst.summaryShownAt + this.windowMs) {
      burst.dirty = false;
      burst.summaryShownAt = now;
      return [summariseNotifications([...burst.items.values()], 'burst'), ...this.#endBurstIfQuiet(now)];
    }
    return this.#endBurstIfQuiet(now);
  }

  #endBurstIfQuiet(now: number): NotificationIntent[] {
    const burst = this.#burst;
    if (!burst || now - burst.lastAt < this.windowMs) return [];
    this.#burst = undefined;
    return burst.dirty ? [summariseNotifications([...burst.items.values()], 'burst')] : [];
  }
}
