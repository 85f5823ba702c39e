/**
 * The relay's one SQLite file: the event log, channels and tokens. WAL mode lets the admin
 * command write while the relay reads; `synchronous=FULL` makes a committed event survive a
 * power cut, not only a killed process, since the relay answers 2xx only after the commit.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';

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
  const db = new Database(file);
  // Channel secrets are in here: readable by the relay's user only.
  if (isNew) chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The admin command and the relay share the file; wait for a lock instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
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
