/**
 * The engine's only way to wait: a timers port (tests pass fake ones) and a small helper that
 * keeps at most one pending timer per purpose.
 */
import type { Clock } from '../../core/ports.js';
import { systemTimers, type Timers } from '../../core/timers.js';

/** The engine waits through the same timers port as every other module (core/timers.ts). */
export type TimersPort = Timers;
export { systemTimers };

/** One pending timer per name: scheduling a name again replaces its timer. */
export class NamedTimers<Name extends string> {
  readonly #handles = new Map<Name, unknown>();
  #stopped = false;

  constructor(
    private readonly timers: TimersPort,
    private readonly clock: Clock,
  ) {}

  /** Runs `callback` at epoch ms `at` (at once if that has passed). */
  schedule(name: Name, at: number, callback: () => void): void {
    this.cancel(name);
    if (this.#stopped) return;
    const handle = this.timers.setTimeout(() => {
      this.#handles.delete(name);
      if (!this.#stopped) callback();
    }, Math.max(0, at - this.clock()));
    this.#handles.set(name, handle);
  }

  cancel(name: Name): void {
    if (!this.#handles.has(name)) return;
    this.timers.clearTimeout(this.#handles.get(name));
    this.#handles.delete(name);
  }

  /** Cancels everything; later `schedule` calls do nothing. */
  stop(): void {
    this.#stopped = true;
    for (const name of [...this.#handles.keys()]) this.cancel(name);
  }
}
