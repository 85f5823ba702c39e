/**
 * What the tray shows beside the builds themselves: the recent events list (transitions, clicks
 * and their failures), the repositories seen (so the mute menu can offer them), and each source's
 * connection with when its last event arrived. Bounded, because the engine runs for weeks in a tray.
 */
import type { SourceConnection, TrayEvent } from '../../core/engine/trayModel.js';

const MAX_EVENTS = 50;
const MAX_REPOSITORIES = 500;

export class TrayActivity {
  /** Newest first. */
  #events: TrayEvent[] = [];
  /** Least recently seen first, so the oldest is dropped when full. */
  readonly #repositories = new Set<string>();
  /** By source name, in the order the sources first reported. */
  readonly #connections = new Map<string, SourceConnection>();

  get events(): readonly TrayEvent[] {
    return this.#events;
  }

  get repositories(): string[] {
    return [...this.#repositories];
  }

  get connections(): readonly SourceConnection[] {
    return [...this.#connections.values()];
  }

  /** An event about a build in `slug` arrived at `now` from `source` (even one filtered out of view). */
  noteEventFrom(slug: string, now: number, source: string | undefined): void {
    const connection = source === undefined ? undefined : this.#connections.get(source);
    if (connection !== undefined) this.#connections.set(connection.source, { ...connection, lastEventAt: now });
    this.#repositories.delete(slug);
    this.#repositories.add(slug);
    if (this.#repositories.size > MAX_REPOSITORIES) this.#repositories.delete(this.#repositories.values().next().value!);
  }

  record(event: TrayEvent): void {
    this.#events = [event, ...this.#events].slice(0, MAX_EVENTS);
  }

  /** `since` moves only when connectedness changes, not with each new reason. */
  setConnection(connected: boolean, source: string, reason: string | null, now: number): void {
    const previous = this.#connections.get(source);
    const changed = previous === undefined || previous.connected !== connected;
    this.#connections.set(source, {
      connected,
      source,
      since: changed ? now : previous.since,
      reason: connected ? null : reason,
      lastEventAt: previous?.lastEventAt ?? null,
    });
  }

  /** A source the user removed: it no longer counts for the tray. */
  forgetConnection(source: string): void {
    this.#connections.delete(source);
  }
}
