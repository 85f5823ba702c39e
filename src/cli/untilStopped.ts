/** Waiting for the user to stop a long-running command (`watch`, `simulate`). */

/** A day: the longest a keep-alive timer needs to wait before it is set again. */
const KEEP_ALIVE_MS = 24 * 60 * 60 * 1000;

/**
 * Resolves with the signal at the first SIGINT or SIGTERM. Until then it holds the event loop
 * open itself: signal listeners do not, and a command whose only other work is unref'd timers (a
 * poller on a machine without D-Bus, where no socket is open) would otherwise exit at once, with
 * code 0 and no word.
 */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
    const stop = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
