/**
 * `--db` names the storage: a file path (SQLite, the default) or a `postgres://` /
 * `postgresql://` URL (PostgreSQL, for several relay instances on one database).
 */
import type { Logger } from '../../core/ports.js';
import type { OpenDatabaseOptions } from '../database.js';
import { SqliteStorage } from './sqliteStorage.js';
import type { RelayStorage } from './storage.js';

/** `db` as it may be logged: a PostgreSQL URL without its password. */
export function describeStorage(db: string): string {
  if (!isPostgresUrl(db) || !URL.canParse(db)) return db;
  const url = new URL(db);
  if (url.password) url.password = '***';
  return url.toString();
}

/** True when `db` is a PostgreSQL connection URL rather than a file path. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens (creating and migrating as needed) the storage `db` names. */
export async function openStorage(db: string, options: OpenDatabaseOptions & { readonly logger?: Logger } = {}): Promise<RelayStorage> {
  if (isPostgresUrl(db)) {
    // Loaded only when used: a SQLite relay never pays for the driver.
    const { PostgresStorage } = await import('./postgres/postgresStorage.js');
    return PostgresStorage.open(db, { logger: options.logger });
  }
  return new SqliteStorage(db, options);
}
