/**
 * The SQLite writer thread: its own connection to the relay's file (WAL, synchronous=FULL, as
 * every connection of the relay), running the log's transactions one at a time in the order they
 * arrive. The commit and its fsync block this thread, not the relay's event loop, which meanwhile
 * parses the next deliveries and sends frames. SQLite's own guarantees are unchanged: in WAL mode
 * with synchronous=FULL a commit becomes visible to the relay's reading connection only after the
 * WAL is synced, so nothing read back (a replay, a duplicate's seq) can be lost by a power cut.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openRelayDatabase, type RelayDatabase } from '../database.js';
import { EventLog } from '../eventLog.js';
import { describeError, unpackEntries, writerRequestSchema, type WriterResponse } from './sqliteWriterProtocol.js';

const port = parentPort;
if (!port) throw new Error('sqliteWriterThread.js runs as a worker thread of the relay (storage/sqliteWriter.ts)');
const file = String(workerData);
const send = (response: WriterResponse) => port.postMessage(response);

let db: RelayDatabase | undefined;
let log: EventLog | undefined;
try {
  // The relay's own connection created and migrated the file before starting this thread.
  db = openRelayDatabase(file, { mustExist: true });
  log = new EventLog(db);
  send({ kind: 'ready' });
} catch (error) {
  send({ kind: 'broken', error: describeError(error) });
}

port.on('message', (message: unknown) => {
  const parsed = writerRequestSchema.safeParse(message);
  if (!parsed.success) {
    // A bug on the relay's side: that request fails, the thread goes on serving the others.
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id === 'number') send({ kind: 'failed', id, error: describeError(parsed.error) });
    return;
  }
  const request = parsed.data;
  if (request.kind === 'close') {
    db?.close();
    port.close();
    return;
  }
  if (!db || !log) return; // 'broken' was sent; the relay fails every write itself
  const open = { db, log };
  try {
    if (request.kind === 'append') {
      const entries = unpackEntries(request);
      const results = open.db.transaction(() => entries.map((entry) => open.log.append(entry))).immediate();
      send({ kind: 'appended', id: request.id, results });
    } else {
      send({ kind: 'pruned', id: request.id, removed: open.log.pruneReceivedBefore(request.cutoff, request.limit) });
    }
  } catch (error) {
    // The transaction rolled back: nothing of this request is stored.
    send({ kind: 'failed', id: request.id, error: describeError(error) });
  }
});
