/**
 * The event source for users without a relay: polls the Cirrus GraphQL API and turns what changed
 * into normalised events. One request per poll covers every watched repository (aliases), at most
 * every 15 s and by default every minute (FACTS.md: no documented rate limit, so be gentle); after
 * a failure it waits exponentially longer, with jitter so many desktops do not retry in step.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import type { Logger } from '../../../core/ports.js';
import { systemTimers } from '../../../core/timers.js';
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { PolledBuild, PollSnapshot } from './pollDiff.js';
import { diffSnapshots, recentBuilds, snapshotOf } from './pollDiff.js';
import type { PollerOptions } from '../pollSchedule.js';
import { checkPollInterval, createPollSchedule, delayAfter, deliverEvents, MIN_POLL_INTERVAL_MS, parseWatchedRepositories } from '../pollSchedule.js';

export { delayAfter, MAX_POLL_BACKOFF_MS, MIN_POLL_INTERVAL_MS } from '../pollSchedule.js';

/** Default time between polls. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

export interface CirrusPollerOptions extends PollerOptions {
  /** The API client; only `pollRepositories` is used. */
  readonly api: Pick<CirrusApi, 'pollRepositories'>;
  /** Time between polls. Default: 60 000 ms; below 15 000 ms it is raised to 15 000 ms (with a warning). */
  readonly intervalMs?: number;
  /** Builds per repository each poll reads. Default: 10. */
  readonly buildsPerRepository?: number;
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

export function createCirrusPoller(options: CirrusPollerOptions): CirrusPoller {
  const repositories = parseWatchedRepositories(options.repositories).map(({ owner, name }) => ({ owner, name }));
  const { api, clock, logger } = options;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((error: Error) => logger.warn('Cirrus poll failed', { error: error.message }));
  const intervalMs = clampInterval(options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS, logger);

  let snapshot: PollSnapshot | undefined;
  let polls = 0;
  let failures = 0;
  let consecutiveFailures = 0;

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

  const schedule = createPollSchedule<PollResult>({
    poll,
    deliver: (result) => (result.ok ? deliverEvents(result.events, options.onEvent, logger) : onError(result.error)),
    nextDelay: () => delayAfter(consecutiveFailures, intervalMs, random),
    timers: options.timers ?? systemTimers,
  });

  return {
    intervalMs,
    start: schedule.start,
    stop: schedule.stop,
    pollNow: schedule.pollNow,
    recentBuilds: () => (snapshot ? recentBuilds(snapshot) : []),
    stats: () => ({ polls, failures, consecutiveFailures, nextDelayMs: schedule.nextDelayMs() }),
  };
}

function clampInterval(requested: number, logger: Logger): number {
  checkPollInterval(requested);
  if (requested >= MIN_POLL_INTERVAL_MS) return requested;
  logger.warn(`poll interval ${requested} ms is below the ${MIN_POLL_INTERVAL_MS / 1000} s minimum; polling every ${MIN_POLL_INTERVAL_MS / 1000} s`, {
    requestedMs: requested,
    usedMs: MIN_POLL_INTERVAL_MS,
  });
  return MIN_POLL_INTERVAL_MS;
}
