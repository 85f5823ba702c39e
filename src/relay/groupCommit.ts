/**
 * Group commit: deliveries that finish arriving in the same turn of the event loop are written in
 * one transaction, so one fsync (SQLite's synchronous=FULL, PostgreSQL's WAL flush) covers all of
 * them instead of one each. While a batch is being committed the next one gathers, so a slower
 * database makes bigger batches rather than a queue of transactions. Every sender is still
 * answered only after the transaction that holds its row has committed.
 */
import type { AppendResult, NewLogEntry } from './eventLog.js';

interface Waiting {
  readonly entry: NewLogEntry;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private committing = false;

  /** @param commit commits a batch in one transaction, in order (RelayStorage.append) */
  constructor(private readonly commit: (entries: readonly NewLogEntry[]) => Promise<AppendResult[]>) {}

  /** Resolves once `entry` (or its earlier copy) is committed; rejects if its batch failed. */
  append(entry: NewLogEntry): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.committing || this.waiting.length === 0) return;
    this.scheduled = true;
    // After this turn's I/O callbacks: every body that completed now joins the batch.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    this.committing = true;
    try {
      const results = await this.commit(batch.map(({ entry }) => entry));
      batch.forEach((waiting, i) => waiting.resolve(results[i]!));
    } catch (error) {
      // Nothing of the batch is stored (the transaction rolled back): every sender gets the error.
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.committing = false;
      this.schedule();
    }
  }
}
