/**
 * `--db` names the storage: a file path (SQLite, the default) or a `postgres://` /
 * `postgresql://` URL (PostgreSQL, for several relay instances on one database).
 */
import type { OpenDatabaseOptions } from '../database.js';
import { SqliteStorage } from './sqliteStorage.js';
import type { RelayStorage } from './storage.js';

/** True when `db` is a PostgreSQL connection URL rather than a file path. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens (creating and migrating as needed) the storage `db` names. */
export async function openStorage(db: string, options: OpenDatabaseOptions = {}): Promise<RelayStorage> {
  if (isPostgresUrl(db)) {
    const { PostgresStorage } = await import('./postgres/postgresStorage.js');
    return PostgresStorage.open(db);
  }
  return new SqliteStorage(db, options);
}
