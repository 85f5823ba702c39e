/**
 * GitLab's rate-limit headers (GitLab docs, "Rate limits"): `RateLimit-Remaining` requests are
 * left until `RateLimit-Reset` (epoch seconds); over the limit GitLab answers 429 with
 * `Retry-After` (seconds). A client that keeps asking past them stays blocked, so the poller reads
 * these after every answer and waits as told.
 */

export interface RateLimit {
  readonly limit: number | null;
  readonly remaining: number | null;
  /** Epoch ms when `remaining` is refilled, when GitLab says. */
  readonly resetAt: number | null;
}

type HeaderSource = Pick<globalThis.Headers, 'get'>;

/** The rate-limit headers of an answer; fields GitLab did not send are null. */
export function readGitlabRateLimit(headers: HeaderSource): RateLimit {
  const reset = integerHeader(headers, 'ratelimit-reset');
  return {
    limit: integerHeader(headers, 'ratelimit-limit'),
    remaining: integerHeader(headers, 'ratelimit-remaining'),
    resetAt: reset === null ? null : reset * 1000,
  };
}

/** Without Retry-After or a reset time, wait a minute: GitLab's limits are per minute. */
const DEFAULT_PAUSE_MS = 60_000;

/**
 * When an answer says the client is limited, the instant (epoch ms) it may ask again; otherwise
 * null. GitLab limits with 429 only (a 403 is a refusal): `Retry-After` wins, then the reset time.
 */
export function gitlabLimitedUntil(status: number, headers: HeaderSource, now: number): number | null {
  if (status !== 429) return null;
  const retryAfter = integerHeader(headers, 'retry-after');
  if (retryAfter !== null) return now + retryAfter * 1000;
  const { resetAt } = readGitlabRateLimit(headers);
  return resetAt !== null && resetAt > now ? resetAt : now + DEFAULT_PAUSE_MS;
}

function integerHeader(headers: HeaderSource, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
