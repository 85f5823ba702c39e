/**
 * The relay's PostgreSQL schema, created and migrated by the relay itself. Migrations run under an
 * advisory lock in one transaction, so two instances starting at once cannot both apply one.
 */
import type pg from 'pg';

/** Each entry moves the schema one version up; never edit an entry once released. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE channels (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    repos TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  -- seq is assigned by the relay under the log_state row lock (see postgresStorage.ts), not by a
  -- sequence: a sequence hands out numbers in call order, and transactions commit in another.
  CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    channel TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    delivery_id TEXT,
    provider TEXT NOT NULL,
    event_type TEXT NOT NULL,
    repo TEXT,
    event TEXT,
    body BYTEA NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (channel, dedupe_key)
  );
  CREATE UNIQUE INDEX events_by_delivery_id ON events (channel, delivery_id) WHERE delivery_id IS NOT NULL;
  CREATE INDEX events_by_channel ON events (channel, seq);
  CREATE INDEX events_by_time ON events (received_at);
  -- One row: the newest seq handed out, how far pruning went, and a counter admin changes bump
  -- (so an instance that missed a notification still notices on its next poll).
  CREATE TABLE log_state (
    id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    head BIGINT NOT NULL,
    pruned_through BIGINT NOT NULL,
    admin_version BIGINT NOT NULL
  );
  INSERT INTO log_state (head, pruned_through, admin_version) VALUES (0, 0, 0);
  `,
  // Acknowledgements (issue #17) name a build the relay must have stored: its events are found by
  // this index, newest first, not by reading the log. Rows stored before it get their id from
  // their JSON; acknowledgements and records have none, so the partial index skips them.
  `
  ALTER TABLE events ADD COLUMN build_id TEXT;
  UPDATE events SET build_id = (event::json) -> 'build' ->> 'id' WHERE event IS NOT NULL AND event_type <> 'acknowledgement';
  CREATE INDEX events_by_build ON events (channel, build_id, seq) WHERE build_id IS NOT NULL;
  `,
];

/** Any constant will do; it only has to be the same in every instance. */
const MIGRATION_LOCK = 0x6275696c; // "buil"

export async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS buildbell_schema (version INTEGER NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM buildbell_schema');
    const current = found.rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`the relay database is from a newer buildbell (schema ${current}, this one knows ${MIGRATIONS.length}); upgrade buildbell`);
    }
    for (let version = current; version < MIGRATIONS.length; version += 1) await client.query(MIGRATIONS[version]!);
    if (found.rows.length === 0) await client.query('INSERT INTO buildbell_schema (version) VALUES ($1)', [MIGRATIONS.length]);
    else await client.query('UPDATE buildbell_schema SET version = $1', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
