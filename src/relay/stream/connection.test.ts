/**
 * A client that stops reading during its replay (finding 11 of the security review: 200 such
 * clients held 300 MiB): the relay queues about one buffer's worth for it, not a whole batch.
 * Real SQLite log; the socket is faked because the point is what the relay hands to it.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { SqliteStorage } from '../storage/sqliteStorage.js';
import { makeTempDir } from '../../../test/support/temp.js';
import { StreamConnection } from './connection.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

/** A socket whose peer never reads: nothing it is given is ever flushed. */
function stalledSocket() {
  const sent: number[] = [];
  const socket = {
    send(data: string | Buffer) {
      sent.push(Buffer.byteLength(data));
    },
    close() {},
    terminate() {},
  };
  return { socket: socket as unknown as WebSocket, queuedBytes: () => sent.reduce((sum, n) => sum + n, 0), frames: () => sent.length };
}

describe('a replay to a client that does not read', () => {
  it('queues about maxBufferedBytes, then waits for the socket to drain, in single frames or batches', async () => {
    const storage = new SqliteStorage(path.join(temp.dir, 'replay.db'));
    const eventJson = JSON.stringify({ pad: 'x'.repeat(2000) });
    await storage.append(Array.from({ length: 500 }, (_, i) => ({
      channel: 'acme', dedupeKey: `k${i}`, deliveryId: null, provider: 'cirrus', eventType: 'build', repository: 'acme/web', eventJson, buildId: '1', body: Buffer.from('{}'), receivedAt: Date.now(),
    })));
    const cap = 64 * 1024;
    for (const batch of [false, true]) {
      const { socket, queuedBytes, frames } = stalledSocket();
      const connection = new StreamConnection(socket, { id: 't', channel: 'acme', label: 'x', repos: [] } as never, 0, storage, { replayBatchSize: 500, maxBufferedBytes: cap }, {
        onFramesSent: () => undefined, onCutOff: () => undefined,
      }, batch);
      void connection.start(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The hello, then event frames up to the cap (one frame past it at most); batched, the
      // same rows as one batch frame.
      if (batch) expect(frames()).toBe(2);
      else expect(frames()).toBeGreaterThan(2);
      expect(queuedBytes()).toBeLessThanOrEqual(cap + 2 * 2100);
      expect(queuedBytes()).toBeGreaterThanOrEqual(cap);
      connection.markClosed();
    }
    await storage.close();
  });
});
