/**
 * The timer port: how a module that must wait (a poller's interval, a simulator's next step, a
 * retry's backoff) asks for time to pass. Passed in like the clock, so a test can drive time by
 * hand and production timers never keep a process alive.
 */

/** An opaque handle returned by {@link Timers.setTimeout}. */
export type TimerHandle = unknown;

export interface Timers {
  /** Calls `callback` once after `ms` milliseconds. The real implementation unref()s the timer. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a pending callback; harmless on one that already ran. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The runtime's timers, unref()'d: a pending poll or retry never holds the process open, so
 * `stop()` is for tidiness and a forgotten timer cannot hang a CLI or a test run.
 */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = globalThis.setTimeout(callback, ms);
    // Node's Timeout has unref(); other runtimes may not, which is fine.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};
