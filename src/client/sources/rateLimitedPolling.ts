/**
 * Polling under an API's rate limit, the same for every CI that has one (GitHub, GitLab): a poll
 * either succeeds with events, or fails; a rate-limit failure (or too few requests left for a whole
 * round) pauses polling until the reset, says so, and resumes a little after it, spread out so
 * desktops sharing a token do not come back in step; any other failure backs off exponentially
 * with jitter. The provider's poller supplies one round (`pollRound`) and what a rate-limit error is.
 */
import type { NormalisedEvent } from '../../core/event.js';
import { systemTimers } from '../../core/timers.js';
import { createPollSchedule, delayAfter, deliverEvents, type PollerOptions } from './pollSchedule.js';

export type RateLimitedPollResult =
  | { readonly ok: true; readonly events: readonly NormalisedEvent[] }
  | { readonly ok: false; readonly error: Error; readonly pausedUntil: number | null };

export interface RateLimitedPollingOptions extends Omit<PollerOptions, 'repositories'> {
  /** The CI's name in the log: "GitHub", "GitLab". */
  readonly ci: string;
  readonly intervalMs: number;
  /** One round over every repository; throws on failure. `pause` holds polling until an instant. */
  readonly pollRound: (pause: (until: number) => void) => Promise<readonly NormalisedEvent[]>;
  /** The instant a rate-limit error lifts, or null for any other error. */
  readonly rateLimitedUntil: (error: unknown) => number | null;
  /** Polling paused for the rate limit until this instant (epoch ms), or resumed (null). */
  readonly onPause?: (until: number | null) => void;
}

export interface RateLimitedPolling {
  start(): void;
  stop(): void;
  /** Polls at once (sharing a poll in flight). */
  pollNow(): Promise<RateLimitedPollResult>;
  stats(): { polls: number; failures: number; pausedUntil: number | null };
}

export function createRateLimitedPolling(options: RateLimitedPollingOptions): RateLimitedPolling {
  const { clock, logger } = options;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((error: Error) => logger.warn(`${options.ci} poll failed`, { error: error.message }));
  let polls = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  let pausedUntil: number | null = null;

  function pause(until: number): void {
    if (pausedUntil !== null && pausedUntil >= until) return;
    pausedUntil = until;
    logger.warn(`${options.ci} rate limit: polling paused`, { until: new Date(until).toISOString() });
    options.onPause?.(until);
  }

  async function poll(): Promise<RateLimitedPollResult> {
    polls += 1;
    try {
      const events = await options.pollRound(pause);
      consecutiveFailures = 0;
      return { ok: true, events };
    } catch (error) {
      failures += 1;
      const until = options.rateLimitedUntil(error);
      if (until !== null) {
        pause(until);
        return { ok: false, error: error as Error, pausedUntil: until };
      }
      consecutiveFailures += 1;
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)), pausedUntil: null };
    }
  }

  function deliver(result: RateLimitedPollResult): void {
    if (!result.ok) {
      if (result.pausedUntil === null) onError(result.error);
      return;
    }
    deliverEvents(result.events, options.onEvent, logger);
  }

  function nextDelay(): number {
    const now = clock();
    if (pausedUntil !== null && pausedUntil > now) {
      // A little after the reset, spread out so desktops sharing a token do not return in step.
      return pausedUntil - now + 1000 + Math.round(random() * 5000);
    }
    if (pausedUntil !== null) {
      pausedUntil = null;
      options.onPause?.(null);
    }
    return delayAfter(consecutiveFailures, options.intervalMs, random);
  }

  const schedule = createPollSchedule<RateLimitedPollResult>({ poll, deliver, nextDelay, timers: options.timers ?? systemTimers });
  return {
    start: schedule.start,
    stop: schedule.stop,
    pollNow: schedule.pollNow,
    stats: () => ({ polls, failures, pausedUntil }),
  };
}
