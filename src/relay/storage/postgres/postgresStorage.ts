/**
 * The relay's storage on PostgreSQL, for several relay instances on one database.
 *
 * One order for everyone: a batch takes the `log_state` row lock (`SELECT … FOR UPDATE`) first,
 * assigns seqs from its `head`, and holds the lock until it commits. Writers therefore commit one
 * after another in seq order, and once a reader sees seq n every seq below n that will ever exist
 * is committed and visible too: no client can receive 11 and later find a newly committed 10 (a
 * bare sequence hands out 10 and 11 in call order, and their transactions may commit in the other).
 * Group commit keeps the lock short: one transaction for every delivery that arrived in one turn.
 *
 * Fan-out across instances: the committing transaction NOTIFYs the new head; every instance reads
 * the rows it has not sent (see listener.ts and the hub).
 */
import pg from 'pg';
import type { Logger } from '../../../core/ports.js';
import { silentLogger } from '../../../core/ports.js';
import { channelNameSchema, channelSecretSchema, type Channel } from '../../channels.js';
import { lookupHash, mintToken, noChannelError, tokenInfoFromRow, type TokenRow } from '../../tokens.js';
import { KIND_COLUMN } from '../../eventLog.js';
import type { AppendResult, BuildLookup, CommittedRow, DeliveryKeys, NewLogEntry, RelayStorage, StorageEvents, StreamKind, StreamRow } from '../storage.js';
import { isUnavailable, unavailableOnFailure } from './errors.js';
import { ADMIN_CHANNEL, EVENTS_CHANNEL, listenForChanges } from './listener.js';
import { migrate } from './schema.js';

/** Only one instance prunes at a time; the others skip their turn. */
const PRUNE_LOCK = 0x70727565; // "prue"

const TOKEN_COLUMNS = 'id, channel, label, repos, created_at AS "createdAt", revoked_at AS "revokedAt"';

export interface PostgresStorageOptions {
  /** Connections kept per instance. Default 10. */
  readonly poolSize?: number;
  readonly logger?: Logger;
}

export class PostgresStorage implements RelayStorage {
  readonly kind = 'postgres';

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  /** Connects, creates or migrates the schema (safe when instances start together), and returns the storage. */
  static async open(connectionString: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server emits here; unhandled, it would end the process.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresStorage(pool, connectionString, options.logger ?? silentLogger);
  }

  /**
   * One transaction per batch, and a fixed number of round trips whatever its size: the lock,
   * one look-up of the batch's keys, one multi-row INSERT, the head and the notification. The
   * lock is held across all of them, so the look-up is authoritative (no instance can store one
   * of these keys meanwhile), and every seq stays contiguous: a duplicate takes no number.
   */
  append(entries: readonly NewLogEntry[]): Promise<AppendResult[]> {
    return unavailableOnFailure(() => this.transaction(async (client) => {
      const state = await client.query<{ head: string }>('SELECT head FROM log_state FOR UPDATE');
      let head = Number(state.rows[0]!.head);
      const known = await this.storedKeys(client, entries);
      const fresh: Array<NewLogEntry & { seq: number }> = [];
      const results: AppendResult[] = entries.map((entry) => {
        const stored = known.get(dedupeKeyOf(entry)) ?? (entry.deliveryId === null ? undefined : known.get(deliveryKeyOf(entry)));
        if (stored !== undefined) return { seq: stored, duplicate: true };
        head += 1;
        fresh.push({ ...entry, seq: head });
        // A second copy later in the same batch is a duplicate of this one.
        known.set(dedupeKeyOf(entry), head);
        if (entry.deliveryId !== null) known.set(deliveryKeyOf(entry), head);
        return { seq: head, duplicate: false };
      });
      if (fresh.length > 0) {
        await client.query(
          `INSERT INTO events (seq, channel, dedupe_key, delivery_id, provider, event_type, repo, event, body, received_at, build_id)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bigint[], $11::text[])`,
          [
            fresh.map((entry) => entry.seq), fresh.map((entry) => entry.channel), fresh.map((entry) => entry.dedupeKey),
            fresh.map((entry) => entry.deliveryId), fresh.map((entry) => entry.provider), fresh.map((entry) => entry.eventType),
            fresh.map((entry) => entry.repository), fresh.map((entry) => entry.eventJson), fresh.map((entry) => entry.body),
            fresh.map((entry) => entry.receivedAt), fresh.map((entry) => entry.buildId),
          ],
        );
      }
      // One round trip for both; the notification reaches the listeners when (and only if) this commits.
      await client.query('UPDATE log_state SET head = $1 RETURNING pg_notify($2, $3)', [head, EVENTS_CHANNEL, String(head)]);
      return results;
    }));
  }

  stored(keys: DeliveryKeys): Promise<number | undefined> {
    return unavailableOnFailure(() => this.storedWith(this.pool, keys));
  }

  async readAfter(channel: string, after: number, limit: number): Promise<StreamRow[]> {
    const { rows } = await this.pool.query<{ seq: string; kind: StreamKind; repository: string; eventJson: string }>(
      `SELECT seq, ${KIND_COLUMN}, repo AS repository, event AS "eventJson" FROM events WHERE channel = $1 AND seq > $2 AND event IS NOT NULL ORDER BY seq LIMIT $3`,
      [channel, after, limit],
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  async readCommittedAfter(after: number, limit: number): Promise<CommittedRow[]> {
    const { rows } = await this.pool.query<{ seq: string; channel: string; kind: StreamKind; repository: string; eventJson: string; receivedAt: string }>(
      `SELECT seq, channel, ${KIND_COLUMN}, repo AS repository, event AS "eventJson", received_at AS "receivedAt" FROM events WHERE seq > $1 AND event IS NOT NULL ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq), receivedAt: Number(row.receivedAt) }));
  }

  async latestOfBuild(channel: string, build: BuildLookup): Promise<string | undefined> {
    // events_by_build, newest first; provider and repository sort out ids that collide.
    const { rows } = await this.pool.query<{ event: string }>(
      `SELECT event FROM events WHERE channel = $1 AND build_id = $2 AND provider = $3 AND repo = $4 ORDER BY seq DESC LIMIT 1`,
      [channel, build.buildId, build.provider, build.repository],
    );
    return rows[0]?.event;
  }

  async head(): Promise<number> {
    return Number((await this.pool.query<{ head: string }>('SELECT head FROM log_state')).rows[0]!.head);
  }

  async channelHead(channel: string): Promise<number> {
    return Number((await this.pool.query<{ head: string | null }>('SELECT max(seq) AS head FROM events WHERE channel = $1', [channel])).rows[0]!.head ?? 0);
  }

  async prunedThrough(): Promise<number> {
    return Number((await this.pool.query<{ pruned: string }>('SELECT pruned_through AS pruned FROM log_state')).rows[0]!.pruned);
  }

  pruneReceivedBefore(cutoff: number, limit: number): Promise<number> {
    return this.transaction(async (client) => {
      const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PRUNE_LOCK]);
      if (!locked.rows[0]!.locked) return 0;
      const { rows } = await client.query<{ seq: string }>(
        'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE received_at < $1 ORDER BY seq LIMIT $2) RETURNING seq',
        [cutoff, limit],
      );
      const newest = rows.reduce((max, row) => Math.max(max, Number(row.seq)), 0);
      if (newest > 0) await client.query('UPDATE log_state SET pruned_through = greatest(pruned_through, $1)', [newest]);
      return rows.length;
    });
  }

  async channelSecret(name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ secret: string }>('SELECT secret FROM channels WHERE name = $1', [name]);
    return rows[0]?.secret;
  }

  async upsertChannel(name: string, secret: string, now: number): Promise<'created' | 'updated'> {
    channelNameSchema.parse(name);
    channelSecretSchema.parse(secret);
    return this.adminChange(async (client) => {
      const { rows } = await client.query<{ created: boolean }>(
        `INSERT INTO channels (name, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET secret = excluded.secret RETURNING (xmax = 0) AS created`,
        [name, secret, now],
      );
      return rows[0]!.created ? 'created' : 'updated';
    });
  }

  async listChannels(): Promise<Channel[]> {
    const { rows } = await this.pool.query<{ name: string; createdAt: string }>('SELECT name, created_at AS "createdAt" FROM channels ORDER BY name');
    return rows.map((row) => ({ name: row.name, createdAt: Number(row.createdAt) }));
  }

  removeChannel(name: string): Promise<boolean> {
    return this.adminChange(async (client) => {
      await client.query('DELETE FROM events WHERE channel = $1', [name]);
      return (await client.query('DELETE FROM channels WHERE name = $1', [name])).rowCount === 1;
    });
  }

  async issueToken(channel: string, label: string, repos: readonly string[], now: number) {
    const minted = mintToken(channel, label, repos, now);
    return this.adminChange(async (client) => {
      const known = await client.query('SELECT 1 FROM channels WHERE name = $1', [channel]);
      if (known.rowCount === 0) throw noChannelError(channel);
      await client.query('INSERT INTO tokens (id, channel, label, repos, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [minted.info.id, channel, label, JSON.stringify(repos), minted.hash, now]);
      return { info: minted.info, token: minted.token };
    });
  }

  async authenticate(token: string) {
    const hash = lookupHash(token);
    if (hash === undefined) return undefined;
    const { rows } = await this.pool.query<TokenRow & { createdAt: string; revokedAt: string | null }>(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = $1 AND revoked_at IS NULL`, [hash]);
    return rows[0] && tokenInfoFromRow(numericTimes(rows[0]));
  }

  async liveTokenIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM tokens WHERE id = ANY($1) AND revoked_at IS NULL', [ids]);
    return new Set(rows.map((row) => row.id));
  }

  async listTokens() {
    const { rows } = await this.pool.query<TokenRow & { createdAt: string; revokedAt: string | null }>(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`);
    return rows.map((row) => tokenInfoFromRow(numericTimes(row)));
  }

  revokeToken(id: string, now: number): Promise<boolean> {
    return this.adminChange(async (client) => (await client.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])).rowCount === 1);
  }

  poolFigures() {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  ping(): Promise<void> {
    return unavailableOnFailure(async () => void (await this.pool.query('SELECT 1')));
  }

  watch(events: StorageEvents, pollMs: number): () => void {
    return listenForChanges({ connectionString: this.connectionString, pool: this.pool, pollMs, logger: this.logger }, events);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The seqs of the batch's keys already stored, by `dedupeKeyOf` and `deliveryKeyOf`. */
  private async storedKeys(client: pg.PoolClient, entries: readonly NewLogEntry[]): Promise<Map<string, number>> {
    const withId = entries.filter((entry) => entry.deliveryId !== null);
    const { rows } = await client.query<{ seq: string; channel: string; dedupeKey: string; deliveryId: string | null }>(
      `SELECT seq, channel, dedupe_key AS "dedupeKey", delivery_id AS "deliveryId" FROM events
        WHERE (channel, dedupe_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
           OR (delivery_id IS NOT NULL AND (channel, delivery_id) IN (SELECT * FROM unnest($3::text[], $4::text[])))`,
      [entries.map((entry) => entry.channel), entries.map((entry) => entry.dedupeKey), withId.map((entry) => entry.channel), withId.map((entry) => entry.deliveryId)],
    );
    const known = new Map<string, number>();
    for (const row of rows) {
      known.set(dedupeKeyOf(row), Number(row.seq));
      if (row.deliveryId !== null) known.set(deliveryKeyOf({ channel: row.channel, deliveryId: row.deliveryId }), Number(row.seq));
    }
    return known;
  }

  private async storedWith(client: pg.Pool | pg.PoolClient, keys: DeliveryKeys): Promise<number | undefined> {
    const { rows } = await client.query<{ seq: string }>(
      `SELECT seq FROM events WHERE channel = $1 AND dedupe_key = $2
       UNION ALL SELECT seq FROM events WHERE channel = $1 AND delivery_id = $3 LIMIT 1`,
      [keys.channel, keys.dedupeKey, keys.deliveryId],
    );
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  /** An admin write: bumps the admin counter and notifies every instance, in the same transaction. */
  private adminChange<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(async (client) => {
      const result = await work(client);
      await client.query('UPDATE log_state SET admin_version = admin_version + 1');
      await client.query('SELECT pg_notify($1, $2)', [ADMIN_CHANNEL, '']);
      return result;
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that failed mid-transaction goes back to the pool as broken, not for reuse.
      if (isUnavailable(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** BIGINT columns arrive as strings. */
function numericTimes<T extends { createdAt: string | number; revokedAt: string | number | null }>(row: T): T & { createdAt: number; revokedAt: number | null } {
  return { ...row, createdAt: Number(row.createdAt), revokedAt: row.revokedAt === null ? null : Number(row.revokedAt) };
}

/** A batch's keys as one map can hold both kinds: the body's key and the provider's delivery id, each per channel. */
function dedupeKeyOf(entry: { readonly channel: string; readonly dedupeKey: string }): string {
  return `body\u0000${entry.channel}\u0000${entry.dedupeKey}`;
}

function deliveryKeyOf(entry: { readonly channel: string; readonly deliveryId: string | null }): string {
  return `delivery\u0000${entry.channel}\u0000${entry.deliveryId}`;
}
