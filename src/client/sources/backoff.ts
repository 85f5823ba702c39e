/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): after the n-th failure in a row, wait a random time in [0, min(cap, base * 2^n)], so
 * a thousand desktops reconnecting after a relay restart do not arrive in one wave.
 */

export interface BackoffOptions {
  /** The first retry's upper bound. Default 1 s. */
  readonly initialMs?: number;
  /** The bound never grows past this. Default 60 s. */
  readonly maxMs?: number;
  /** A number in [0, 1); passed in so tests are deterministic. Default Math.random. */
  readonly random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; each call counts one more failure. */
  next(): number;
  /** A success: the next failure starts from the first delay again. */
  reset(): void;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  if (initial <= 0 || max < initial) throw new TypeError('backoff needs 0 < initialMs <= maxMs');
  let failures = 0;
  return {
    next() {
      const bound = Math.min(max, initial * 2 ** Math.min(failures, 30));
      failures += 1;
      // Never 0: a tight reconnect loop helps nobody.
      return Math.max(Math.round(bound * random()), Math.min(100, initial));
    },
    reset() {
      failures = 0;
    },
  };
}
