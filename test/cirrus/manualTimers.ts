/** Timers that only record what was asked; a test fires them by hand. */
export interface ManualTimer { readonly ms: number; readonly callback: () => void; /** Cancelled or already fired. */ cancelled: boolean }

export function manualTimers() {
  const scheduled: ManualTimer[] = [];
  return {
    scheduled,
    timers: {
      setTimeout(callback: () => void, ms: number): unknown {
        const timer = { ms, callback, cancelled: false };
        scheduled.push(timer);
        return timer;
      },
      clearTimeout(handle: unknown): void {
        (handle as ManualTimer).cancelled = true;
      },
    },
    /** The timers still pending. */
    pending: () => scheduled.filter((t) => !t.cancelled),
    /** Runs a pending timer now, as if its time had come. */
    fire(timer: ManualTimer): void {
      timer.cancelled = true;
      timer.callback();
    },
  };
}
