/**
 * The simulator's timeline: callbacks due at simulated instants, run in time order (ties in the
 * order they were added). Time only moves when someone runs the agenda forward, which is what lets
 * a test advance the world by hand and a demo run it on real timers.
 */
interface Entry {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

export class Agenda {
  private entries: Entry[] = [];
  private added = 0;
  private current: number;

  /** `onSchedule` is told whenever something is added, so a driver can re-arm its timer. */
  constructor(start: number, private readonly onSchedule: () => void = () => {}) {
    this.current = start;
  }

  /** The simulated now: the instant of the entry being run, or the last instant run to. */
  now(): number {
    return this.current;
  }

  /** Runs `run` at `delayMs` after now (sim time). */
  after(delayMs: number, run: () => void): void {
    this.at(this.current + Math.max(0, delayMs), run);
  }

  at(at: number, run: () => void): void {
    const entry = { at, order: this.added++, run };
    // Sorted insert: the agenda is small (tens of entries), a binary heap would buy nothing.
    let i = this.entries.length;
    while (i > 0 && compare(this.entries[i - 1]!, entry) > 0) i -= 1;
    this.entries.splice(i, 0, entry);
    this.onSchedule();
  }

  /** When the next entry is due, or undefined when nothing is planned. */
  nextAt(): number | undefined {
    return this.entries[0]?.at;
  }

  /** Runs every entry due at or before `until`, then sets now to `until`. Returns how many ran. */
  runUntil(until: number): number {
    let ran = 0;
    for (let entry = this.entries[0]; entry !== undefined && entry.at <= until; entry = this.entries[0]) {
      this.entries.shift();
      this.current = Math.max(this.current, entry.at);
      entry.run();
      ran += 1;
    }
    this.current = Math.max(this.current, until);
    return ran;
  }

  /** Forgets everything planned (on stop). */
  clear(): void {
    this.entries = [];
  }
}

function compare(a: Entry, b: Entry): number {
  return a.at - b.at || a.order - b.order;
}
