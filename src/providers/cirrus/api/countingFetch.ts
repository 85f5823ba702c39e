/** A fetch that counts its requests: how the benchmark proves one request per poll. */
import type { FetchLike } from './client.js';

export interface CountingFetch {
  readonly fetch: FetchLike;
  /** Requests started so far. */
  count(): number;
}

/** Wraps `inner` (default: the global fetch) and counts every call. */
export function countingFetch(inner: FetchLike = (url, init) => fetch(url, init)): CountingFetch {
  let requests = 0;
  return {
    fetch: (url, init) => {
      requests += 1;
      return inner(url, init);
    },
    count: () => requests,
  };
}
