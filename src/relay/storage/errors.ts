/**
 * The storage cannot take writes right now (PostgreSQL unreachable, the SQLite file gone): the
 * relay answers 503 with Retry-After, so the sender retries, and never a 2xx it did not commit.
 */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}
