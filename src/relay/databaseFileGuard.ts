/**
 * Notices when the relay's database file is deleted or replaced under it. SQLite keeps writing to
 * the open inode, so without this the relay would go on answering "stored" for deliveries that
 * are gone at the next restart. Checked before every commit (one stat, microseconds) and on the
 * maintenance tick, so a deletion is noticed even when no webhook arrives.
 */
import { fileIdentity, type FileIdentity } from './database.js';
import { StorageUnavailableError } from './storage/errors.js';

/** Thrown instead of committing; the relay answers 503 so the sender retries elsewhere or later. */
export class DatabaseLostError extends StorageUnavailableError {
  override name = 'DatabaseLostError';
  readonly code = 'BUILDBELL_DATABASE_LOST';
}

export class DatabaseFileGuard {
  private readonly identity: FileIdentity | undefined;
  private lost: DatabaseLostError | undefined;

  /**
   * @param file the database path as opened
   * @param onLost called once, the first time the file is found gone or replaced
   */
  constructor(private readonly file: string, private readonly onLost: (error: DatabaseLostError) => void) {
    this.identity = fileIdentity(file);
  }

  /** Throws DatabaseLostError when the file at the path is no longer the one the relay opened. */
  check(): void {
    if (this.lost) throw this.lost;
    if (!this.identity) return;
    const now = fileIdentity(this.file);
    if (now && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    this.lost = new DatabaseLostError(
      now ? `the database file ${this.file} was replaced by another file while the relay ran` : `the database file ${this.file} was deleted while the relay ran`,
    );
    this.onLost(this.lost);
    throw this.lost;
  }
}
