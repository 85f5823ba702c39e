/**
 * The event source for users without a relay: polls the Cirrus GraphQL API and turns what changed
 * into normalised events. One request per poll covers every watched repository (aliases), at most
 * every 15 s and by default every minute (FACTS.md: no documented rate limit, so be gentle); after
 * a failure it waits exponentially longer, with jitter so many desktops do not retry in step.
 */
import type { NormalisedEvent } from '../../core/event.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../../core/timers.js';
import { systemTimers } from '../../core/timers.js';
import type { CirrusApi } from '../../providers/cirrus/api/client.js';
import type { PolledBuild, PollSnapshot } from './cirrusPollDiff.js';
import { diffSnapshots, recentBuilds, snapshotOf } from './cirrusPollDiff.js';

/** Default time between polls. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** Polls never come closer together than this, whatever is configured. */
export const MIN_POLL_INTERVAL_MS = 15_000;
/** The longest wait after repeated failures. */
export const MAX_POLL_BACKOFF_MS = 15 * 60_000;

export interface CirrusPollerOptions {
  /** The API client; only `pollRepositories` is used. */
  readonly api: Pick<CirrusApi, 'pollRepositories'>;
  /** `owner/name` of each repository to watch. */
  readonly repositories: readonly string[];
  /** Time between polls. Default: 60 000 ms; below 15 000 ms it is raised to 15 000 ms (with a warning). */
  readonly intervalMs?: number;
  /** Builds per repository each poll reads. Default: 10. */
  readonly buildsPerRepository?: number;
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

export type PollResult = { readonly ok: true; readonly events: readonly NormalisedEvent[] } | { readonly ok: false; readonly error: Error };

export interface CirrusPoller {
  /** Polls now, then keeps polling on the interval. */
  start(): void;
  /** Stops the schedule; a poll in flight finishes but emits nothing. */
  stop(): void;
  /** Polls at once (sharing a poll already in flight) and resets the schedule from here. */
  pollNow(): Promise<PollResult>;
  /** The builds the last successful poll saw, newest first (the first poll's baseline included). */
  recentBuilds(): PolledBuild[];
  /** The interval in use, after clamping. */
  readonly intervalMs: number;
  /** Counters for benchmarks and status lines. `polls` is API requests made. */
  stats(): { polls: number; failures: number; consecutiveFailures: number; nextDelayMs: number | null };
}

const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

export function createCirrusPoller(options: CirrusPollerOptions): CirrusPoller {
  const repositories = options.repositories.map((slug) => {
    const match = SLUG.exec(slug);
    if (!match) throw new TypeError(`watched repository '${slug}' is not of the form owner/name`);
    return { owner: match[1]!, name: match[2]! };
  });
  const { api, clock, logger } = options;
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((error: Error) => logger.warn('Cirrus poll failed', { error: error.message }));
  const intervalMs = clampInterval(options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS, logger);

  let snapshot: PollSnapshot | undefined;
  let inFlight: Promise<PollResult> | undefined;
  let timer: TimerHandle | undefined;
  let running = false;
  let polls = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  let nextDelayMs: number | null = null;
  // A manual pollNow() while not started still delivers; a poll cut short by stop() does not.
  let stoppedDuringPoll = false;

  async function poll(): Promise<PollResult> {
    polls += 1;
    try {
      const polled = await api.pollRepositories(repositories, options.buildsPerRepository);
      const current = snapshotOf(polled);
      for (const { owner, name, repository } of polled) {
        if (repository === null && !snapshot) logger.warn('Cirrus repository not found or not visible (a private one needs a token)', { repository: `${owner}/${name}` });
      }
      const events = snapshot ? diffSnapshots(snapshot, current, clock()) : [];
      snapshot = current;
      consecutiveFailures = 0;
      return { ok: true, events };
    } catch (error) {
      failures += 1;
      consecutiveFailures += 1;
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  function deliver(result: PollResult): void {
    if (!result.ok) return onError(result.error);
    for (const event of result.events) {
      try {
        options.onEvent(event);
      } catch (error) {
        logger.error('a poll event listener threw', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  function schedule(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (!running) return;
    nextDelayMs = delayAfter(consecutiveFailures, intervalMs, random);
    timer = timers.setTimeout(() => {
      timer = undefined;
      void pollNow();
    }, nextDelayMs);
  }

  function pollNow(): Promise<PollResult> {
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
    intervalMs,
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
    recentBuilds: () => (snapshot ? recentBuilds(snapshot) : []),
    stats: () => ({ polls, failures, consecutiveFailures, nextDelayMs }),
  };
}

function clampInterval(requested: number, logger: Logger): number {
  if (!Number.isFinite(requested) || requested <= 0) throw new TypeError(`poll interval must be a positive number of ms, got ${requested}`);
  if (requested >= MIN_POLL_INTERVAL_MS) return requested;
  logger.warn(`poll interval ${requested} ms is below the ${MIN_POLL_INTERVAL_MS / 1000} s minimum; polling every ${MIN_POLL_INTERVAL_MS / 1000} s`, {
    requestedMs: requested,
    usedMs: MIN_POLL_INTERVAL_MS,
  });
  return MIN_POLL_INTERVAL_MS;
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
