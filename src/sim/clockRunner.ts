/**
 * Simulated time for both simulators (Cirrus and GitHub): the agenda of what is due, and what
 * moves it. With `autoAdvance`, simulated time is the real time elapsed since the start times
 * `speed`, and one timer, scaled by `speed`, wakes for the next entry; without, time moves only
 * through `advance(ms)`, so a test runs a whole story without waiting.
 */
import type { Clock } from '../core/ports.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { systemTimers } from '../core/timers.js';
import { Agenda } from './agenda.js';

/** The time options of both simulators. */
export interface ClockRunnerOptions {
  /** Simulated time per real time: 10 runs ten times faster. Default: 1. Not a positive finite number: a TypeError. */
  readonly speed?: number;
  /**
   * Let time pass on its own (timers, scaled by `speed`). Default: true. With false, the world
   * moves only through `advance(ms)`: deterministic tests without waiting.
   */
  readonly autoAdvance?: boolean;
  /** Real time; its value at the start is the simulated start. Default: Date.now. */
  readonly clock?: Clock;
  /** Default: the runtime's timers, unref()'d. */
  readonly timers?: Timers;
}

export interface ClockRunner {
  /** The options resolved, for the parts of a simulator that run on real time (webhook retries, rate limits). */
  readonly speed: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** The timeline the directors schedule on; adding to it re-arms the timer. */
  readonly agenda: Agenda;
  /** The simulated now, epoch ms: in auto mode, real elapsed time scaled by speed. */
  now(): number;
  /** Runs everything due by the simulated now (an API request sees the world as of now); nothing in manual mode. */
  catchUp(): void;
  /** Moves simulated time forward by `ms`, running everything due. Returns how many steps ran. */
  advance(ms: number): number;
  /** Clears the timer and forgets the agenda: nothing runs after this. */
  stop(): void;
}

export function createClockRunner(options: ClockRunnerOptions = {}): ClockRunner {
  const speed = options.speed ?? 1;
  const autoAdvance = options.autoAdvance ?? true;
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? systemTimers;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new TypeError(`speed must be a positive number, got ${speed}`);

  const realStart = clock();
  let timer: TimerHandle | undefined;
  let stopped = false;
  const agenda = new Agenda(realStart, () => arm());

  const now = () => (autoAdvance ? Math.max(agenda.now(), realStart + (clock() - realStart) * speed) : agenda.now());

  function arm(): void {
    if (!autoAdvance || stopped) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    const next = agenda.nextAt();
    if (next === undefined) return;
    timer = timers.setTimeout(tick, Math.max(0, (next - now()) / speed));
  }

  function tick(): void {
    timer = undefined;
    agenda.runUntil(now());
    arm();
  }

  return {
    speed,
    clock,
    timers,
    agenda,
    now,
    catchUp() {
      if (autoAdvance) agenda.runUntil(now());
    },
    advance: (ms) => agenda.runUntil(agenda.now() + ms),
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      agenda.clear();
    },
  };
}
