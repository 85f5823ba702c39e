import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports.js';
import type { CommittedRow } from '../storage/storage.js';
import { orderedFanOut } from './fanOut.js';

const row = (seq: number): CommittedRow => ({ seq, kind: 'event', channel: 'acme', repository: 'acme/web', eventJson: '{}', receivedAt: 0 });

/** A log whose reads the test releases one at a time, each seeing what was committed when it began. */
function slowLog() {
  let committed = 0;
  const reads: Array<() => void> = [];
  return {
    commit: (head: number) => (committed = head),
    releaseRead: () => reads.shift()?.(),
    pendingReads: () => reads.length,
    storage: {
      head: async () => committed,
      readCommittedAfter: (after: number, limit: number) => {
        const snapshot = committed;
        return new Promise<CommittedRow[]>((resolve) =>
          reads.push(() => resolve(Array.from({ length: Math.min(limit, snapshot - after) }, (_, i) => row(after + i + 1)))),
        );
      },
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('orderedFanOut', () => {
  it('publishes every seq once and in order, even when a newer head is learnt while a read is in flight', async () => {
    const log = slowLog();
    const published: number[] = [];
    const fanOut = await orderedFanOut(log.storage, (event) => published.push(event.seq), silentLogger);
    log.commit(2);
    fanOut.committedAnywhere(2);
    // While the read of 1..2 is in flight, 3..5 commit and their notification arrives.
    log.commit(5);
    fanOut.committedAnywhere(5);
    log.releaseRead();
    await settle();
    // The in-flight read saw only 1..2: the fan-out must read again for 3..5, not take them as read.
    expect(log.pendingReads()).toBe(1);
    log.releaseRead();
    await settle();
    expect(published).toEqual([1, 2, 3, 4, 5]);
  });
});
