/**
 * GitHub's primary rate limit, simulated: a budget per caller (a token, or the anonymous caller)
 * refilled every hour, and the headers GitHub sends with every answer. A 304 to an authenticated
 * conditional request costs nothing, as on GitHub; one to an anonymous caller still counts.
 */
import type { Clock } from '../../core/ports.js';

export interface SimRateLimitOptions {
  /** Requests an hour with a token. Default 5 000 (GitHub's). */
  readonly authenticated?: number;
  /** Requests an hour without one. Default 60 (GitHub's). */
  readonly anonymous?: number;
  /** The length of a window. Default one hour. */
  readonly windowMs?: number;
}

interface Bucket {
  used: number;
  resetAt: number;
}

export class SimRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #authenticated: number;
  readonly #anonymous: number;
  readonly #windowMs: number;

  constructor(
    private readonly clock: Clock,
    options: SimRateLimitOptions = {},
  ) {
    this.#authenticated = options.authenticated ?? 5000;
    this.#anonymous = options.anonymous ?? 60;
    this.#windowMs = options.windowMs ?? 3_600_000;
  }

  /** True when the caller has a request left (and it is not yet spent). */
  allows(caller: string | null): boolean {
    const bucket = this.#bucket(caller);
    return bucket.used < this.#limit(caller);
  }

  spend(caller: string | null): void {
    this.#bucket(caller).used += 1;
  }

  /** The `x-ratelimit-*` headers of an answer to this caller. */
  headers(caller: string | null): Record<string, string> {
    const bucket = this.#bucket(caller);
    const limit = this.#limit(caller);
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - bucket.used)),
      'x-ratelimit-reset': String(Math.ceil(bucket.resetAt / 1000)),
      'x-ratelimit-used': String(bucket.used),
      'x-ratelimit-resource': 'core',
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
