/**
 * The event source for GitHub users without a relay: lists the recent workflow runs of each
 * watched repository over REST and turns what changed into normalised events. Every listing is
 * conditional (If-None-Match with the last ETag), so a quiet repository answers 304, which with
 * a token costs nothing against the rate limit. The poller obeys the limit: when GitHub says it
 * is spent (or Retry-After), or when too few requests remain for a whole round, it pauses until
 * the reset and says so; other failures back off exponentially with jitter.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import type { Logger } from '../../../core/ports.js';
import type { GithubApi, ListedRun } from '../../../providers/github/api/client.js';
import { GithubRateLimitError } from '../../../providers/github/api/errors.js';
import { diffGithubSnapshots, githubSnapshotOf, type GithubPollSnapshot } from './pollDiff.js';
import type { PollerOptions } from '../pollSchedule.js';
import { checkPollInterval, MIN_POLL_INTERVAL_MS, parseWatchedRepositories } from '../pollSchedule.js';
import { createRateLimitedPolling, type RateLimitedPollResult } from '../rateLimitedPolling.js';
import type { RateGate } from '../rateGate.js';

/** Default time between polls. */
export const DEFAULT_GITHUB_POLL_INTERVAL_MS = 60_000;
/** Without a token GitHub allows 60 requests an hour: one listing a minute in all. */
export const ANONYMOUS_MS_PER_REPOSITORY = 60_000;

export interface GithubPollerOptions extends PollerOptions {
  readonly api: Pick<GithubApi, 'listRuns' | 'authenticated'>;
  /** Time between polls. Default 60 000 ms; at least 15 000 ms, and 60 000 ms per repository without a token. */
  readonly intervalMs?: number;
  /** Runs per listing. Default: the client's (20). */
  readonly runsPerRepository?: number;
  /** Polling paused for the rate limit until this instant (epoch ms), or resumed (null). */
  readonly onPause?: (until: number | null) => void;
  /**
   * The budget this token shares with other requests (failure detail): the poller tells it every
   * answer's rate-limit headers and its pauses, and waits too when another request hit the limit.
   */
  readonly gate?: RateGate;
}

export type GithubPollResult = RateLimitedPollResult;

export interface GithubPoller {
  start(): void;
  stop(): void;
  /** Polls at once (sharing a poll in flight). */
  pollNow(): Promise<GithubPollResult>;
  readonly intervalMs: number;
  stats(): { polls: number; requests: number; notModified: number; failures: number; pausedUntil: number | null };
}

export function createGithubPoller(options: GithubPollerOptions): GithubPoller {
  const repositories = parseWatchedRepositories(options.repositories);
  const { api, clock, logger } = options;
  const intervalMs = chooseInterval(options.intervalMs ?? DEFAULT_GITHUB_POLL_INTERVAL_MS, repositories.length, api.authenticated, logger);

  const etags = new Map<string, string>();
  // What each repository's latest answer listed; kept through 304s and through a round cut short.
  const listings = new Map<string, readonly ListedRun[] | null>();
  let snapshot: GithubPollSnapshot | undefined;
  let requests = 0;
  let notModified = 0;
  const warnedInvisible = new Set<string>();

  async function pollRound(pause: (until: number) => void): Promise<readonly NormalisedEvent[]> {
    // Another request of this token (a failure detail fetch) was told to wait: so is the poller.
    const shared = options.gate?.pausedUntil() ?? null;
    if (shared !== null) {
      pause(shared);
      return [];
    }
    for (const repository of repositories) {
      requests += 1;
      const answer = await api.listRuns(repository, {
        etag: etags.get(repository.slug) ?? null,
        ...(options.runsPerRepository ? { perPage: options.runsPerRepository } : {}),
      });
      if (answer.kind === 'modified') {
        listings.set(repository.slug, answer.runs);
        if (answer.etag) etags.set(repository.slug, answer.etag);
      } else if (answer.kind === 'not_modified') {
        notModified += 1;
      } else {
        listings.set(repository.slug, null);
        etags.delete(repository.slug);
        if (!warnedInvisible.has(repository.slug)) logger.warn('GitHub repository not found or not visible (a private one needs a token with Actions: Read)', { repository: repository.slug });
        warnedInvisible.add(repository.slug);
      }
      options.gate?.note(answer.rateLimit);
      const { remaining, resetAt } = answer.rateLimit;
      // Too few requests left for another round: wait for the reset rather than fail midway.
      if (remaining !== null && resetAt !== null && remaining < repositories.length && resetAt > clock()) pause(resetAt);
    }
    const current = githubSnapshotOf(listings);
    const events = snapshot ? diffGithubSnapshots(snapshot, current, clock()) : [];
    snapshot = current;
    return events;
  }

  const polling = createRateLimitedPolling({
    ...options,
    ci: 'GitHub',
    intervalMs,
    pollRound,
    onPause: (until) => {
      if (until !== null) options.gate?.pause(until);
      options.onPause?.(until);
    },
    rateLimitedUntil: (error) => (error instanceof GithubRateLimitError ? error.until : null),
  });

  return {
    intervalMs,
    start: polling.start,
    stop: polling.stop,
    pollNow: polling.pollNow,
    stats: () => ({ ...polling.stats(), requests, notModified }),
  };
}

function chooseInterval(requested: number, repositories: number, authenticated: boolean, logger: Logger): number {
  checkPollInterval(requested);
  const floor = authenticated ? MIN_POLL_INTERVAL_MS : Math.max(MIN_POLL_INTERVAL_MS, ANONYMOUS_MS_PER_REPOSITORY * repositories);
  if (requested >= floor) return requested;
  logger.warn(
    authenticated
      ? `poll interval ${requested} ms is below the ${floor / 1000} s minimum; polling every ${floor / 1000} s`
      : `without a GitHub token only 60 requests an hour are allowed: polling ${repositories} ${repositories === 1 ? 'repository' : 'repositories'} every ${floor / 1000} s (give --github-token to poll faster)`,
    { requestedMs: requested, usedMs: floor },
  );
  return floor;
}
