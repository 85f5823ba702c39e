/**
 * The relay's one SQLite file: the event log, channels and tokens. WAL mode lets the admin
 * command write while the relay reads; `synchronous=FULL` makes a committed event survive a
 * power cut, not only a killed process, since the relay answers 2xx only after the commit.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

export type RelayDatabase = Database.Database;

/** Each entry moves the schema one version up; never edit an entry once released. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE channels (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    repos TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  -- AUTOINCREMENT: a seq is never handed out twice, even after pruning empties the table.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    event_type TEXT NOT NULL,
    repo TEXT,
    event TEXT,
    body BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (channel, dedupe_key)
  );
  CREATE INDEX events_by_channel ON events (channel, seq);
  CREATE INDEX events_by_time ON events (received_at);
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  `,
  // The provider's delivery id (GitHub's X-GitHub-Delivery) beside the body key: a retry with the
  // same id is a duplicate, and so is the same signed body sent again under a new id (the header
  // is not signed, so anyone who captured a delivery could otherwise store it again and again).
  `
  ALTER TABLE events ADD COLUMN delivery_id TEXT;
  CREATE UNIQUE INDEX events_by_delivery_id ON events (channel, delivery_id) WHERE delivery_id IS NOT NULL;
  `,
  // Acknowledgements (issue #17) name a build the relay must have stored: its events are found by
  // this index, newest first, not by reading the log. Rows stored before it get their id from
  // their JSON; acknowledgements and records have none, so the partial index skips them.
  `
  ALTER TABLE events ADD COLUMN build_id TEXT;
  UPDATE events SET build_id = json_extract(event, '$.build.id') WHERE event IS NOT NULL AND event_type <> 'acknowledgement';
  CREATE INDEX events_by_build ON events (channel, build_id, seq) WHERE build_id IS NOT NULL;
  `,
];

export interface OpenDatabaseOptions {
  /** Open read-write but refuse to create the file (the relay wants an operator-created one). Default false. */
  readonly mustExist?: boolean;
}

/** Opens (and if needed creates and migrates) the relay database at `file`. */
export function openRelayDatabase(file: string, options: OpenDatabaseOptions = {}): RelayDatabase {
  const isNew = !existsSync(file);
  if (isNew && options.mustExist) {
    throw new Error(`no relay database at ${file}: create it with 'buildbell admin channel add <name> --secret <secret> --db ${file}'`);
  }
  makePrivate(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The admin command and the relay share the file; wait for a lock instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Channel secrets and token hashes are in this file: readable by the relay's user only. A new
 * file is created 0600 before SQLite opens it (creating it and chmod'ing afterwards leaves a
 * moment in which another user can open it and keep the descriptor), and an existing file, or its
 * WAL and shared-memory files, that others may read is narrowed to 0600.
 */
function makePrivate(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path) && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}

/** The identity of the database file (device and inode): it changes when the file is deleted or replaced. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** The identity of `file` now, or undefined when there is no file at that path. */
export function fileIdentity(file: string): FileIdentity | undefined {
  try {
    const stat = statSync(file);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return undefined;
  }
}

function migrate(db: RelayDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the relay database is from a newer buildbell (schema ${current}, this one knows ${MIGRATIONS.length}); upgrade buildbell`);
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
