/**
 * Writes off the event loop: the relay's log writes (group-committed batches and pruning) run in
 * a worker thread with its own SQLite connection (sqliteWriterThread.ts). Inline, each commit's
 * fsync (synchronous=FULL) stopped the relay for its whole duration: a profile of the latency
 * bench had a fifth of the relay's time in the transaction, with every answer and every frame to
 * every client waiting behind it. One thread, one connection, requests answered in the order
 * sent: one writer and one seq order, as before. Its promises resolve only after the commit.
 */
import { Worker } from 'node:worker_threads';
import type { AppendResult, NewLogEntry } from '../eventLog.js';
import { StorageUnavailableError } from './errors.js';
import { packEntries, rebuildError, writerResponseSchema, type WriterRequest } from './sqliteWriterProtocol.js';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The thread's compiled file. Under Vitest this module is TypeScript, which a worker thread
 * cannot load; the test run builds dist/ from the same sources first (test/globalSetup.ts), so
 * the thread is taken from there.
 */
function threadFile(): URL {
  const here = new URL('./sqliteWriterThread.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  return new URL(here.href.replace(/\/src\/relay\/storage\/sqliteWriterThread\.js$/, '/dist/relay/storage/sqliteWriterThread.js'));
}

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the thread cannot write any more: every request fails with it. */
  private broken: StorageUnavailableError | undefined;
  private closing: Promise<void> | undefined;
  private exited = false;
  private readonly opened: Promise<void>;
  private markOpened: () => void = () => undefined;
  /** Settles when the thread breaks, so `ready()` does not wait for an opening that will not come. */
  private readonly failed: Promise<void>;
  private markFailed: () => void = () => undefined;

  /**
   * @param file the relay's database, already created and migrated by the relay's own connection
   * @param onBroken called once if the thread stops or cannot open the file: the relay cannot keep its promises
   */
  constructor(file: string, private readonly onBroken: (error: StorageUnavailableError) => void) {
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
    this.failed = new Promise((resolve) => (this.markFailed = resolve));
    this.worker = new Worker(threadFile(), { workerData: file });
    this.worker.on('message', (message: unknown) => this.receive(message));
    this.worker.on('error', (error) => this.fail(`the SQLite writer thread failed: ${error.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (!this.closing) this.fail(`the SQLite writer thread exited (code ${code})`);
      // Closing, everything sent before the close was answered first; anything left was not.
      for (const waiting of this.pending.values()) waiting.reject(new StorageUnavailableError('the SQLite writer thread stopped'));
      this.pending.clear();
    });
  }

  /** Resolves once the thread has opened the database; rejects (StorageUnavailableError) when it cannot write. */
  async ready(): Promise<void> {
    await Promise.race([this.opened, this.failed]);
    if (this.broken) throw this.broken;
  }

  /** Commits the entries in one transaction, in order; resolves after the commit (and its fsync). */
  append(entries: readonly NewLogEntry[]): Promise<AppendResult[]> {
    return this.request((id) => packEntries(id, entries)) as Promise<AppendResult[]>;
  }

  /** Deletes up to `limit` of the oldest rows received before `cutoff`; how many. */
  prune(cutoff: number, limit: number): Promise<number> {
    return this.request((id) => ({ kind: 'prune', id, cutoff, limit })) as Promise<number>;
  }

  /** Answers every request already sent, then closes the thread's connection. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      // Held until the thread is gone: unreferenced, a process with nothing else to do would exit mid-close.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ kind: 'close' } satisfies WriterRequest);
    });
    return this.closing;
  }

  /** Sends the request `build` makes with its id; resolves or rejects with the thread's answer to it. */
  private request(build: (id: number) => WriterRequest): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new StorageUnavailableError('the relay is closing its database'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      const request = build(id);
      this.worker.postMessage(request, request.kind === 'append' ? [request.bodies] : []);
    });
  }

  private receive(message: unknown): void {
    const response = writerResponseSchema.parse(message);
    if (response.kind === 'ready') {
      this.markOpened();
      // Idle, the thread must not keep a process alive (a test, a script); opening or busy, it must.
      if (this.pending.size === 0) this.worker.unref();
      return;
    }
    if (response.kind === 'broken') {
      this.fail(`the SQLite writer thread could not open the database: ${response.error.message}`);
      return;
    }
    const waiting = this.pending.get(response.id);
    if (!waiting) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker.unref();
    if (response.kind === 'appended') waiting.resolve(response.results);
    else if (response.kind === 'pruned') waiting.resolve(response.removed);
    else waiting.reject(rebuildError(response.error));
  }

  /**
   * Whether the requests in flight were committed is unknown: their senders get 503 and retry, and
   * a retry of one that was committed is answered as a duplicate with its seq.
   */
  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = new StorageUnavailableError(reason);
    this.markFailed();
    for (const waiting of this.pending.values()) waiting.reject(this.broken);
    this.pending.clear();
    this.worker.unref();
    this.onBroken(this.broken);
  }
}
