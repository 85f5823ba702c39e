/**
 * What the requests of one API token share about its rate limit (GitHub's, GitLab's): the
 * poller's listings and the failure-detail fetches spend the same budget. The poller notes every
 * answer's headers and its pauses here; a detail fetch asks first and is refused while the poller is paused, or when
 * spending would leave less than the poller needs for its next rounds. Detail is a nicety, the
 * listings are the notifications.
 */
import type { Clock } from '../../core/ports.js';

/** What an answer's rate-limit headers say (both providers' clients read theirs into this shape). */
export interface RateBudget {
  readonly remaining: number | null;
  /** Epoch ms when `remaining` is refilled. */
  readonly resetAt: number | null;
}

export class RateGate {
  readonly #clock: Clock;
  readonly #reserve: number;
  #pausedUntil: number | null = null;
  #remaining: number | null = null;
  #resetAt: number | null = null;

  /**
   * @param reserve requests a detail fetch must leave for the poller (its next rounds); 0 without one
   */
  constructor(clock: Clock, reserve: number) {
    this.#clock = clock;
    this.#reserve = reserve;
  }

  /** The headers of an answer: how much of the budget is left, and until when. */
  note(rateLimit: RateBudget): void {
    if (rateLimit.remaining !== null) this.#remaining = rateLimit.remaining;
    if (rateLimit.resetAt !== null) this.#resetAt = rateLimit.resetAt;
  }

  /** The CI said to wait until `until` (epoch ms): nothing is asked before then. */
  pause(until: number): void {
    if (this.#pausedUntil === null || until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** The instant requests may resume, while a pause holds; else null. */
  pausedUntil(): number | null {
    return this.#pausedUntil !== null && this.#pausedUntil > this.#clock() ? this.#pausedUntil : null;
  }

  /** Whether `cost` requests may be spent on detail now. */
  allows(cost: number): boolean {
    if (this.pausedUntil() !== null) return false;
    const budgetKnown = this.#remaining !== null && this.#resetAt !== null && this.#resetAt > this.#clock();
    return !budgetKnown || this.#remaining! - cost >= this.#reserve;
  }

  /** Spent without an answer's headers yet (the next answer corrects it). */
  spend(cost: number): void {
    if (this.#remaining !== null) this.#remaining = Math.max(0, this.#remaining - cost);
  }

  /**
   * One detail request, if the gate lets it through (undefined when it does not): spent first,
   * its answer's headers noted, and the CI's "wait" (the error `waitUntil` recognises, naming the
   * instant) turned into a pause, which the poller then keeps too. The error is rethrown.
   */
  async request<T extends { readonly rateLimit: RateBudget }>(send: () => Promise<T>, waitUntil: (error: unknown) => number | undefined): Promise<T | undefined> {
    if (!this.allows(1)) return undefined;
    this.spend(1);
    try {
      const answer = await send();
      this.note(answer.rateLimit);
      return answer;
    } catch (error) {
      const until = waitUntil(error);
      if (until !== undefined) this.pause(until);
      throw error;
    }
  }
}
