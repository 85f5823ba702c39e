/**
 * Group commit: deliveries that finish arriving in the same turn of the event loop are written in
 * one transaction, so one fsync (synchronous=FULL) covers all of them instead of one each. Every
 * sender is still answered only after the transaction that holds its row has committed. The
 * transaction runs synchronously inside one callback, so no reader in this process can see a
 * batch half-written.
 */
import type { RelayDatabase } from './database.js';
import type { AppendResult, EventLog, NewLogEntry } from './eventLog.js';

interface Waiting {
  readonly entry: NewLogEntry;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;

  /**
   * @param beforeCommit runs before each batch's transaction; a throw fails the whole batch
   *   (the relay checks there that its database file is still the one it opened)
   */
  constructor(
    private readonly db: RelayDatabase,
    private readonly log: EventLog,
    private readonly beforeCommit: () => void = () => undefined,
  ) {}

  /** Resolves once `entry` (or its earlier copy) is committed; rejects if the batch failed. */
  append(entry: NewLogEntry): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After this turn's I/O callbacks: every body that completed now joins the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    let results: AppendResult[];
    try {
      this.beforeCommit();
      results = this.db.transaction(() => batch.map(({ entry }) => this.log.append(entry))).immediate();
    } catch (error) {
      // Nothing of the batch is stored (the transaction rolled back): every sender gets the error.
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i]!));
  }
}
