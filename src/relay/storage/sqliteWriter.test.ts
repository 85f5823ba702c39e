/**
 * The writer thread keeps the log's promises from another thread: bodies arrive byte for byte, one
 * seq order, duplicates stored once, SQLite's error code reaches the routes (503 for a full disk),
 * and a thread that stops fails what was in flight instead of leaving senders waiting. Real
 * SQLite files, a real worker thread (dist/'s, built by the test run's global setup).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp.js';
import { openRelayDatabase } from '../database.js';
import { EventLog, type NewLogEntry } from '../eventLog.js';
import { StorageUnavailableError } from './errors.js';
import { SqliteWriter } from './sqliteWriter.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

const entry = (key: string, body: string, deliveryId: string | null = null): NewLogEntry => ({
  channel: 'acme', dedupeKey: key, deliveryId, provider: 'cirrus', eventType: 'build',
  repository: 'acme/web', eventJson: JSON.stringify({ key }), buildId: '1', body: Buffer.from(body), receivedAt: 1000,
});

function createdLog(name: string) {
  const file = path.join(temp.dir, `${name}.db`);
  const db = openRelayDatabase(file);
  return { file, db, log: new EventLog(db) };
}

describe('SqliteWriter', () => {
  it('commits batches in order, byte for byte, each duplicate once, visible to the relay connection on resolve', async () => {
    const { file, db, log } = createdLog('order');
    const writer = new SqliteWriter(file, () => undefined);
    // Bodies that share one pool slab, as Node's small buffers do: each must arrive as its own bytes.
    const bodies = ['{"a":1}', '{"b":22}', '{"c":333}'];
    const first = await writer.append(bodies.map((body, i) => entry(`k${i}`, body)));
    expect(first).toEqual([{ seq: 1, duplicate: false }, { seq: 2, duplicate: false }, { seq: 3, duplicate: false }]);
    const second = await writer.append([entry('k1', 'again'), entry('k3', '{}', 'd-1'), entry('k4', '{}', 'd-1')]);
    // Seqs only increase (an ignored insert may use one up); the same delivery id is the same row.
    const fourth = second[1]!.seq;
    expect(fourth).toBeGreaterThan(3);
    expect(second).toEqual([{ seq: 2, duplicate: true }, { seq: fourth, duplicate: false }, { seq: fourth, duplicate: true }]);
    expect(log.readAfter('acme', 0, 10).map((row) => row.seq)).toEqual([1, 2, 3, fourth]);
    const stored = db.prepare('SELECT body FROM events ORDER BY seq').pluck().all() as Buffer[];
    expect(stored.map((body) => body.toString())).toEqual([...bodies, '{}']);
    await writer.close();
    db.close();
  });

  it('prunes on its own connection and records how far', async () => {
    const { file, db, log } = createdLog('prune');
    const writer = new SqliteWriter(file, () => undefined);
    await writer.append([entry('a', '1'), entry('b', '2'), { ...entry('c', '3'), receivedAt: 5000 }]);
    expect(await writer.prune(2000, 10)).toBe(2);
    expect(log.prunedThrough()).toBe(2);
    expect(log.size()).toBe(1);
    await writer.close();
    db.close();
  });

  it("passes SQLite's error code back, stores nothing of the failed batch, and goes on writing", async () => {
    const { file, db, log } = createdLog('error');
    const writer = new SqliteWriter(file, () => undefined);
    // Locked by another connection past the writer's busy timeout (5 s): its commit fails with SQLite's code.
    db.prepare('BEGIN EXCLUSIVE').run();
    const locked = await writer.append([entry('x', '1'), entry('y', '2')]).then(() => undefined, (error: unknown) => error as { code?: string });
    db.prepare('ROLLBACK').run();
    expect(locked?.code).toMatch(/^SQLITE_BUSY/);
    expect(log.size()).toBe(0);
    expect(await writer.append([entry('z', '3')])).toEqual([{ seq: 1, duplicate: false }]);
    await writer.close();
    db.close();
  }, 20_000);

  it('refuses a malformed request alone and goes on writing', async () => {
    const { file, db } = createdLog('malformed');
    const writer = new SqliteWriter(file, () => undefined);
    const malformed = { ...entry('a', '1'), provider: null } as unknown as NewLogEntry;
    await expect(writer.append([malformed])).rejects.toThrow(/provider/);
    expect(await writer.append([entry('b', '2')])).toEqual([{ seq: 1, duplicate: false }]);
    await writer.close();
    db.close();
  });

  it('fails every write with StorageUnavailableError, and says so once, when the thread cannot open the file', async () => {
    const file = path.join(temp.dir, 'missing.db');
    const told: Error[] = [];
    const writer = new SqliteWriter(file, (error) => told.push(error));
    await expect(writer.append([entry('a', '1')])).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(writer.prune(1, 1)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(told).toHaveLength(1);
    await writer.close();
  });

  it('fails every later write, tells the relay once, and still closes, when the thread dies', async () => {
    const { file, db } = createdLog('dies');
    const told: Error[] = [];
    const writer = new SqliteWriter(file, (error) => told.push(error));
    await writer.ready();
    // What a crash of the thread looks like from the relay's side: it exits.
    await (writer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(writer.append([entry('b', '2')])).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(writer.ready()).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(told).toHaveLength(1);
    await writer.close();
    db.close();
  });

  it('refuses writes once closing, after answering those sent before', async () => {
    const { file, db } = createdLog('closing');
    const writer = new SqliteWriter(file, () => undefined);
    const before = writer.append([entry('a', '1')]);
    const closed = writer.close();
    await expect(before).resolves.toEqual([{ seq: 1, duplicate: false }]);
    await expect(writer.append([entry('b', '2')])).rejects.toBeInstanceOf(StorageUnavailableError);
    await closed;
    db.close();
  });
});
