/**
 * A small fan-out of events to listeners and async iterators. Iterators buffer what they have not
 * read yet, so a slow consumer misses nothing; `end()` finishes every iterator.
 */
export interface EventFeed<T> {
  push(value: T): void;
  /** Calls `listener` for every later value; returns the unsubscribe function. */
  listen(listener: (value: T) => void): () => void;
  /** Every later value, in order, until `end()`. */
  iterate(): AsyncIterableIterator<T>;
  end(): void;
}

export function createEventFeed<T>(): EventFeed<T> {
  const listeners = new Set<(value: T) => void>();
  const finishers = new Set<() => void>();
  let ended = false;

  return {
    push(value) {
      if (ended) return;
      for (const listener of [...listeners]) listener(value);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    end() {
      ended = true;
      for (const listener of [...listeners]) listeners.delete(listener);
      for (const finish of finishers) finish();
    },
    iterate() {
      const buffered: T[] = [];
      let waiting: ((result: IteratorResult<T>) => void) | undefined;
      let done = ended;
      const deliver = (value: T) => {
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value, done: false });
        } else buffered.push(value);
      };
      const finish = () => {
        done = true;
        listeners.delete(deliver);
        finishers.delete(finish);
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
      };
      if (!done) {
        listeners.add(deliver);
        finishers.add(finish);
      }
      const iterator: AsyncIterableIterator<T> = {
        next: () => {
          if (buffered.length > 0) return Promise.resolve({ value: buffered.shift()!, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
        return: () => {
          finish();
          buffered.length = 0;
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
  };
}
