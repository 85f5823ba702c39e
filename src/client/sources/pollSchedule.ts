/**
 * What every poller (Cirrus, GitHub) shares: one poll at a time (a second caller shares the one in
 * flight), the next one after a delay the poller chooses, start/stop, handing results to
 * listeners without letting one that throws stop the schedule, and the interval rules (a floor of
 * 15 s; after failures, exponential backoff with jitter). Each poller keeps only what is its own:
 * the request and the diff, and for GitHub the rate-limit pause.
 */
import type { NormalisedEvent } from '../../core/event.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../../core/timers.js';

/** Polls never come closer together than this, whatever is configured. */
export const MIN_POLL_INTERVAL_MS = 15_000;
/** The longest wait after repeated failures. */
export const MAX_POLL_BACKOFF_MS = 15 * 60_000;

/** The options every poller takes, whatever it polls. */
export interface PollerOptions {
  /** `owner/name` of each repository to watch. */
  readonly repositories: readonly string[];
  readonly clock: Clock;
  /** Default: the runtime's timers, unref()'d. */
  readonly timers?: Timers;
  readonly logger: Logger;
  /** Jitter source in [0, 1). Default: Math.random. */
  readonly random?: () => number;
  /** Every event from a poll, in order. */
  readonly onEvent: (event: NormalisedEvent) => void;
  /** A failed poll (the poller backs off and keeps going). Default: logged as a warning. */
  readonly onError?: (error: Error) => void;
}

export interface PollScheduleOptions<Result> {
  /** One poll. It never rejects: a failure is a result. */
  readonly poll: () => Promise<Result>;
  /** Hands a finished poll's result on (events to the listener, a failure to onError). */
  readonly deliver: (result: Result) => void;
  /** The wait before the next poll, asked once after each poll while the schedule runs. */
  readonly nextDelay: () => number;
  readonly timers: Timers;
}

export interface PollSchedule<Result> {
  /** Polls now, then keeps polling, each poll `nextDelay()` after the last one ended. */
  start(): void;
  /** Stops the schedule; a poll in flight finishes but delivers nothing (unless started again meanwhile). */
  stop(): void;
  /** Polls at once (sharing a poll already in flight) and, when running, schedules the next from its end. */
  pollNow(): Promise<Result>;
  /** The wait chosen for the next poll, or null when none is scheduled. */
  nextDelayMs(): number | null;
}

export function createPollSchedule<Result>(options: PollScheduleOptions<Result>): PollSchedule<Result> {
  const { poll, deliver, nextDelay, timers } = options;
  let inFlight: Promise<Result> | undefined;
  let timer: TimerHandle | undefined;
  let running = false;
  let nextDelayMs: number | null = null;
  // A manual pollNow() while not started still delivers; a poll cut short by stop() does not.
  let stoppedDuringPoll = false;

  function schedule(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (!running) return;
    nextDelayMs = nextDelay();
    timer = timers.setTimeout(() => {
      timer = undefined;
      void pollNow();
    }, nextDelayMs);
  }

  function pollNow(): Promise<Result> {
    inFlight ??= poll().then((result) => {
      inFlight = undefined;
      if (running) {
        deliver(result);
        schedule();
      } else if (!stoppedDuringPoll) deliver(result);
      stoppedDuringPoll = false;
      return result;
    });
    return inFlight;
  }

  return {
    start() {
      if (running) return;
      running = true;
      void pollNow();
    },
    stop() {
      if (inFlight && running) stoppedDuringPoll = true;
      running = false;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      nextDelayMs = null;
    },
    pollNow,
    nextDelayMs: () => nextDelayMs,
  };
}

/** Gives each event to `onEvent`; one that throws is logged and the rest still arrive. */
export function deliverEvents(events: readonly NormalisedEvent[], onEvent: (event: NormalisedEvent) => void, logger: Logger): void {
  for (const event of events) {
    try {
      onEvent(event);
    } catch (error) {
      logger.error('a poll event listener threw', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** `owner/name` of each watched repository, split; a TypeError names the first that is not one. */
export function parseWatchedRepositories(slugs: readonly string[]): { owner: string; name: string; slug: string }[] {
  return slugs.map((slug) => {
    const match = SLUG.exec(slug);
    if (!match) throw new TypeError(`watched repository '${slug}' is not of the form owner/name`);
    return { owner: match[1]!, name: match[2]!, slug: `${match[1]}/${match[2]}` };
  });
}

/** Refuses an interval that is not a positive number of ms: the settings or flags are wrong. */
export function checkPollInterval(requested: number): void {
  if (!Number.isFinite(requested) || requested <= 0) throw new TypeError(`poll interval must be a positive number of ms, got ${requested}`);
}

/**
 * The wait before the next poll: the interval when all is well; after `n` failures in a row,
 * interval × 2^n capped at 15 minutes, then "equal jitter" (half fixed, half random) so the wait
 * never drops below the plain interval yet desktops spread out.
 */
export function delayAfter(consecutiveFailures: number, intervalMs: number, random: () => number): number {
  if (consecutiveFailures === 0) return intervalMs;
  const ceiling = Math.min(MAX_POLL_BACKOFF_MS, intervalMs * 2 ** consecutiveFailures);
  return Math.max(intervalMs, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
