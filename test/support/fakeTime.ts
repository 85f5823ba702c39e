/**
 * A clock and timers that move only when a test says so. `advance(ms)` runs every timer that
 * falls due, in order, with the clock set to each timer's time.
 */
export interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeTime {
  now: number;
  #timers: FakeTimer[] = [];
  #nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  readonly timers = {
    setTimeout: (callback: () => void, ms: number): unknown => {
      const timer = { id: this.#nextId++, at: this.now + Math.max(0, ms), callback };
      this.#timers.push(timer);
      return timer.id;
    },
    clearTimeout: (handle: unknown): void => {
      this.#timers = this.#timers.filter((timer) => timer.id !== handle);
    },
  };

  /** Timers not yet run. */
  get pending(): number {
    return this.#timers.length;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = until;
  }
}
