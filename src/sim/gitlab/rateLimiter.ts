/**
 * GitLab's API rate limit, simulated: a budget per caller (a token, or the anonymous caller)
 * refilled every window, the `RateLimit-*` headers GitLab sends with every answer, and, once the
 * budget is spent, GitLab's 429 with `Retry-After`.
 */
import type { Clock } from '../../core/ports.js';
import { CallerBudget } from '../callerBudget.js';

export interface SimGitlabRateLimitOptions {
  /** Requests per window with a token. Default 2 000 (gitlab.com's authenticated API limit a minute). */
  readonly authenticated?: number;
  /** Requests per window without one. Default 500 (gitlab.com's unauthenticated limit a minute). */
  readonly anonymous?: number;
  /** The length of a window. Default one minute. */
  readonly windowMs?: number;
}

export class SimGitlabRateLimiter {
  readonly #budget: CallerBudget;

  constructor(
    private readonly clock: Clock,
    options: SimGitlabRateLimitOptions = {},
  ) {
    this.#budget = new CallerBudget(clock, { authenticated: options.authenticated ?? 2000, anonymous: options.anonymous ?? 500, windowMs: options.windowMs ?? 60_000 });
  }

  /** Spends one request; false (nothing spent) when the caller's budget is gone. */
  take(caller: string | null): boolean {
    const { limit, used } = this.#budget.window(caller);
    if (used >= limit) return false;
    this.#budget.spend(caller);
    return true;
  }

  /** The `RateLimit-*` headers of an answer to this caller, and `Retry-After` once it is limited. */
  headers(caller: string | null): Record<string, string> {
    const { limit, used, resetAt } = this.#budget.window(caller);
    const remaining = Math.max(0, limit - used);
    return {
      'ratelimit-limit': String(limit),
      'ratelimit-observed': String(used),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(Math.ceil(resetAt / 1000)),
      'ratelimit-resettime': new Date(resetAt).toUTCString(),
      ...(remaining === 0 ? { 'retry-after': String(Math.max(1, Math.ceil((resetAt - this.clock()) / 1000))) } : {}),
    };
  }
}
