/**
 * GitHub's primary rate limit, simulated: a budget per caller (a token, or the anonymous caller)
 * refilled every hour, and the headers GitHub sends with every answer. A 304 to an authenticated
 * conditional request costs nothing, as on GitHub; one to an anonymous caller still counts.
 */
import type { Clock } from '../../core/ports.js';
import { CallerBudget } from '../callerBudget.js';

export interface SimRateLimitOptions {
  /** Requests an hour with a token. Default 5 000 (GitHub's). */
  readonly authenticated?: number;
  /** Requests an hour without one. Default 60 (GitHub's). */
  readonly anonymous?: number;
  /** The length of a window. Default one hour. */
  readonly windowMs?: number;
}

export class SimRateLimiter {
  readonly #budget: CallerBudget;

  constructor(
    clock: Clock,
    options: SimRateLimitOptions = {},
  ) {
    this.#budget = new CallerBudget(clock, { authenticated: options.authenticated ?? 5000, anonymous: options.anonymous ?? 60, windowMs: options.windowMs ?? 3_600_000 });
  }

  /** True when the caller has a request left (and it is not yet spent). */
  allows(caller: string | null): boolean {
    const { limit, used } = this.#budget.window(caller);
    return used < limit;
  }

  spend(caller: string | null): void {
    this.#budget.spend(caller);
  }

  /** The `x-ratelimit-*` headers of an answer to this caller. */
  headers(caller: string | null): Record<string, string> {
    const { limit, used, resetAt } = this.#budget.window(caller);
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
    };
  }
}
