/** Waiting for the user to stop a long-running command (`watch`, `simulate`). */

/** A day: the longest a keep-alive timer needs to wait before it is set again. */
const KEEP_ALIVE_MS = 24 * 60 * 60 * 1000;

/**
 * Resolves with the signal at the first SIGINT or SIGTERM, or with 'quit' when `quit` aborts
 * (the tray's Quit). Until then it holds the event loop
 * open itself: signal listeners do not, and a command whose only other work is unref'd timers (a
 * poller on a machine without D-Bus, where no socket is open) would otherwise exit at once, with
 * code 0 and no word.
 */
export function untilStopped(quit?: AbortSignal): Promise<NodeJS.Signals | 'quit'> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
    const stop = (signal: NodeJS.Signals | 'quit') => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      quit?.removeEventListener('abort', onQuit);
      resolve(signal);
    };
    const onQuit = () => stop('quit');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (quit?.aborted) stop('quit');
    else quit?.addEventListener('abort', onQuit);
  });
}
