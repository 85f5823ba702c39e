/**
 * GitHub's rate-limit headers (REST docs, "Rate limits"): `x-ratelimit-remaining` requests are
 * left until `x-ratelimit-reset` (epoch seconds); a secondary limit answers 403/429 with
 * `retry-after` (seconds). A client that keeps going past them is blocked for longer, so the
 * poller reads these after every answer and waits as told.
 */

export interface RateLimit {
  readonly limit: number | null;
  readonly remaining: number | null;
  /** Epoch ms when `remaining` is refilled, when GitHub says. */
  readonly resetAt: number | null;
}

type HeaderSource = Pick<globalThis.Headers, 'get'>;

/** The rate-limit headers of an answer; fields GitHub did not send are null. */
export function readRateLimit(headers: HeaderSource): RateLimit {
  const reset = integerHeader(headers, 'x-ratelimit-reset');
  return {
    limit: integerHeader(headers, 'x-ratelimit-limit'),
    remaining: integerHeader(headers, 'x-ratelimit-remaining'),
    resetAt: reset === null ? null : reset * 1000,
  };
}

/** Without a reset time or retry-after, GitHub asks integrators to wait at least a minute. */
const DEFAULT_PAUSE_MS = 60_000;

/**
 * When an answer says the client is limited, the instant (epoch ms) it may ask again; otherwise
 * null. `retry-after` wins (secondary limits), then an exhausted primary limit's reset time.
 */
export function limitedUntil(status: number, headers: HeaderSource, now: number): number | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = integerHeader(headers, 'retry-after');
  if (retryAfter !== null) return now + retryAfter * 1000;
  const { remaining, resetAt } = readRateLimit(headers);
  if (remaining === 0) return Math.max(now + 1000, resetAt ?? now + DEFAULT_PAUSE_MS);
  // A 429 with no headers is still a limit; a bare 403 is a refusal, judged elsewhere.
  return status === 429 ? now + DEFAULT_PAUSE_MS : null;
}

function integerHeader(headers: HeaderSource, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
