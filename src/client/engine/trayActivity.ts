/**
 * What the tray shows beside the builds themselves: the recent events list (transitions, clicks
 * and their failures), the repositories seen (so the mute menu can offer them), when the last
 * event arrived, and the connection to the event source. Bounded, because the engine runs for
 * weeks in a tray.
 */
import type { ConnectionStatus, TrayEvent } from '../../core/engine/trayModel.js';

const MAX_EVENTS = 50;
const MAX_REPOSITORIES = 500;

export class TrayActivity {
  /** Newest first. */
  #events: TrayEvent[] = [];
  /** Least recently seen first, so the oldest is dropped when full. */
  readonly #repositories = new Set<string>();
  #lastEventAt: number | null = null;
  #connection: ConnectionStatus;

  constructor(now: number) {
    this.#connection = { connected: false, source: 'none', since: now, reason: 'not connected yet' };
  }

  get events(): readonly TrayEvent[] {
    return this.#events;
  }

  get repositories(): string[] {
    return [...this.#repositories];
  }

  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  get connection(): ConnectionStatus {
    return this.#connection;
  }

  /** An event about a build in `slug` arrived at `now` (even one filtered out of view). */
  noteEventFrom(slug: string, now: number): void {
    this.#lastEventAt = now;
    this.#repositories.delete(slug);
    this.#repositories.add(slug);
    if (this.#repositories.size > MAX_REPOSITORIES) this.#repositories.delete(this.#repositories.values().next().value!);
  }

  record(event: TrayEvent): void {
    this.#events = [event, ...this.#events].slice(0, MAX_EVENTS);
  }

  /** `since` moves only when connectedness or source changes, not with each new reason. */
  setConnection(connected: boolean, source: string, reason: string | null, now: number): void {
    const previous = this.#connection;
    const changed = previous.connected !== connected || previous.source !== source;
    this.#connection = { connected, source, since: changed ? now : previous.since, reason: connected ? null : reason };
  }
}
