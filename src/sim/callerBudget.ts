/**
 * A simulated API's request budget: per caller (a token, or the anonymous caller), refilled every
 * window. The GitHub and GitLab simulators share it and differ only in their limits and in the
 * headers and refusals they build from it.
 */
import type { Clock } from '../core/ports.js';

export interface CallerBudgetOptions {
  /** Requests per window with a token. */
  readonly authenticated: number;
  /** Requests per window without one. */
  readonly anonymous: number;
  /** The length of a window. */
  readonly windowMs: number;
}

/** One caller's window: its limit, what it used, and when it refills (epoch ms). */
export interface CallerWindow {
  readonly limit: number;
  readonly used: number;
  readonly resetAt: number;
}

export class CallerBudget {
  readonly #windows = new Map<string, { used: number; resetAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: CallerBudgetOptions,
  ) {}

  /** The caller's current window (a new one when the last has ended). */
  window(caller: string | null): CallerWindow {
    const { used, resetAt } = this.#current(caller);
    return { limit: caller === null ? this.options.anonymous : this.options.authenticated, used, resetAt };
  }

  spend(caller: string | null): void {
    this.#current(caller).used += 1;
  }

  #current(caller: string | null): { used: number; resetAt: number } {
    const key = caller ?? '';
    const now = this.clock();
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { used: 0, resetAt: now + this.options.windowMs };
      this.#windows.set(key, window);
    }
    return window;
  }
}
