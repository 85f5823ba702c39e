/**
 * GitLab's API rate limit, simulated: a budget per caller (a token, or the anonymous caller)
 * refilled every window, the `RateLimit-*` headers GitLab sends with every answer, and, once the
 * budget is spent, GitLab's 429 with `Retry-After`.
 */
import type { Clock } from '../../core/ports.js';

export interface SimGitlabRateLimitOptions {
  /** Requests per window with a token. Default 2 000 (gitlab.com's authenticated API limit a minute). */
  readonly authenticated?: number;
  /** Requests per window without one. Default 500 (gitlab.com's unauthenticated limit a minute). */
  readonly anonymous?: number;
  /** The length of a window. Default one minute. */
  readonly windowMs?: number;
}

interface Bucket {
  used: number;
  resetAt: number;
}

export class SimGitlabRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #authenticated: number;
  readonly #anonymous: number;
  readonly #windowMs: number;

  constructor(
    private readonly clock: Clock,
    options: SimGitlabRateLimitOptions = {},
  ) {
    this.#authenticated = options.authenticated ?? 2000;
    this.#anonymous = options.anonymous ?? 500;
    this.#windowMs = options.windowMs ?? 60_000;
  }

  /** Spends one request; false (nothing spent) when the caller's budget is gone. */
  take(caller: string | null): boolean {
    const bucket = this.#bucket(caller);
    if (bucket.used >= this.#limit(caller)) return false;
    bucket.used += 1;
    return true;
  }

  /** The `RateLimit-*` headers of an answer to this caller, and `Retry-After` once it is limited. */
  headers(caller: string | null): Record<string, string> {
    const bucket = this.#bucket(caller);
    const limit = this.#limit(caller);
    const remaining = Math.max(0, limit - bucket.used);
    return {
      'ratelimit-limit': String(limit),
      'ratelimit-observed': String(bucket.used),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(Math.ceil(bucket.resetAt / 1000)),
      'ratelimit-resettime': new Date(bucket.resetAt).toUTCString(),
      ...(remaining === 0 ? { 'retry-after': String(Math.max(1, Math.ceil((bucket.resetAt - this.clock()) / 1000))) } : {}),
    };
  }

  #limit(caller: string | null): number {
    return caller === null ? this.#anonymous : this.#authenticated;
  }

  #bucket(caller: string | null): Bucket {
    const key = caller ?? '';
    const now = this.clock();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || bucket.resetAt <= now) {
      bucket = { used: 0, resetAt: now + this.#windowMs };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
