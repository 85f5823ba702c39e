/**
 * The durable, ordered log of every accepted delivery. `seq` is strictly increasing across the
 * whole relay; clients resume with the last seq they saw. Pruning keeps a high-water mark so a
 * cursor older than what is kept can be told so (the gap frame) instead of silently missing events.
 */
import type { RelayDatabase } from './database.js';

export interface NewLogEntry {
  readonly channel: string;
  /** Same key, same channel: one row, however often it is delivered (a hash of the event type and body). */
  readonly dedupeKey: string;
  /** The provider's id of this delivery (GitHub's X-GitHub-Delivery), or null: a second key for the same row. */
  readonly deliveryId: string | null;
  readonly provider: string;
  readonly eventType: string;
  /** `owner/name` of a streamable event; null for records that are never streamed. */
  readonly repository: string | null;
  /** The normalised event as JSON, or null for records that are never streamed (audit events). */
  readonly eventJson: string | null;
  /**
   * The event's build id (the provider's), so an acknowledgement can find the build's latest event
   * through an index instead of reading the log; null for records and acknowledgements.
   */
  readonly buildId: string | null;
  readonly body: Buffer;
  readonly receivedAt: number;
}

export interface AppendResult {
  readonly seq: number;
  readonly duplicate: boolean;
}

/** What a streamable row is: a webhook's normalised event, or an acknowledgement (issue #17). */
export type StreamKind = 'event' | 'acknowledgement';

/** The event type of an acknowledgement's row; no provider's webhook has one by this name. */
export const ACKNOWLEDGEMENT_EVENT_TYPE = 'acknowledgement';

/** A streamable row as read back for a client. */
export interface StreamRow {
  readonly seq: number;
  readonly kind: StreamKind;
  readonly repository: string;
  /** The normalised event's JSON, or the acknowledgement's: the frame's body, spliced in as it is. */
  readonly eventJson: string;
}

/** The SQL expression (SQLite and PostgreSQL alike) that reads a row's kind from its event type. */
export const KIND_COLUMN = `CASE event_type WHEN '${ACKNOWLEDGEMENT_EVENT_TYPE}' THEN 'acknowledgement' ELSE 'event' END AS kind`;

/** A build as an acknowledgement names it: the provider, `owner/name`, and the provider's id. */
export interface BuildLookup {
  readonly provider: string;
  readonly repository: string;
  readonly buildId: string;
}

const PRUNED_THROUGH = 'pruned_through';

export class EventLog {
  private readonly insert;
  private readonly findDuplicate;
  private readonly selectAfter;
  private readonly selectCommittedAfter;
  private readonly selectHead;
  private readonly selectChannelHead;
  private readonly selectPrunedThrough;
  private readonly deleteBefore;
  private readonly upsertMeta;
  private readonly countRows;
  private readonly selectLatestOfBuild;

  constructor(private readonly db: RelayDatabase) {
    this.insert = db.prepare(`
      INSERT INTO events (channel, dedupe_key, delivery_id, provider, event_type, repo, event, body, received_at, build_id)
      VALUES (@channel, @dedupeKey, @deliveryId, @provider, @eventType, @repository, @eventJson, @body, @receivedAt, @buildId)
      ON CONFLICT DO NOTHING`);
    // Either key names the same delivery; both lookups use a unique index.
    this.findDuplicate = db.prepare(`
      SELECT seq FROM events WHERE channel = @channel AND dedupe_key = @dedupeKey
      UNION ALL
      SELECT seq FROM events WHERE channel = @channel AND delivery_id = @deliveryId
      LIMIT 1`).pluck();
    this.selectAfter = db.prepare(`
      SELECT seq, ${KIND_COLUMN}, repo AS repository, event AS eventJson FROM events
      WHERE channel = ? AND seq > ? AND event IS NOT NULL
      ORDER BY seq LIMIT ?`);
    this.selectCommittedAfter = db.prepare(`
      SELECT seq, channel, ${KIND_COLUMN}, repo AS repository, event AS eventJson, received_at AS receivedAt FROM events
      WHERE seq > ? AND event IS NOT NULL
      ORDER BY seq LIMIT ?`);
    this.selectHead = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck();
    this.selectChannelHead = db.prepare('SELECT max(seq) FROM events WHERE channel = ?').pluck();
    this.selectPrunedThrough = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.deleteBefore = db.prepare(`
      DELETE FROM events WHERE seq IN (
        SELECT seq FROM events WHERE received_at < ? ORDER BY seq LIMIT ?
      ) RETURNING seq`).pluck();
    this.upsertMeta = db.prepare(`
      INSERT INTO meta (key, value) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`);
    this.countRows = db.prepare('SELECT count(*) FROM events').pluck();
    // events_by_build: walks one build's rows newest first; provider and repository are checked
    // on the few rows that share the id (two CIs', or two repositories', ids may collide).
    this.selectLatestOfBuild = db.prepare(`
      SELECT event FROM events INDEXED BY events_by_build
      WHERE channel = ? AND build_id = ? AND provider = ? AND repo = ?
      ORDER BY seq DESC LIMIT 1`).pluck();
  }

  /** The JSON of the newest stored event of this build in `channel`, or undefined when none is stored. */
  latestOfBuild(channel: string, build: BuildLookup): string | undefined {
    return this.selectLatestOfBuild.get(channel, build.buildId, build.provider, build.repository) as string | undefined;
  }

  /** Commits the entry (or finds its earlier copy). When this returns, the row is durable. */
  append(entry: NewLogEntry): AppendResult {
    const result = this.insert.run(entry);
    if (result.changes === 1) return { seq: Number(result.lastInsertRowid), duplicate: false };
    const seq = this.stored(entry)!;
    return { seq, duplicate: true };
  }

  /** The seq of an earlier copy of this delivery (same body key or same delivery id), if one is stored. */
  stored(entry: Pick<NewLogEntry, 'channel' | 'dedupeKey' | 'deliveryId'>): number | undefined {
    return this.findDuplicate.get({ channel: entry.channel, dedupeKey: entry.dedupeKey, deliveryId: entry.deliveryId }) as number | undefined;
  }

  /** Streamable rows of `channel` with seq > `after`, oldest first, at most `limit`. */
  readAfter(channel: string, after: number, limit: number): StreamRow[] {
    return this.selectAfter.all(channel, after, limit) as StreamRow[];
  }

  /** Streamable rows of every channel with seq > `after`, oldest first, at most `limit`. */
  readCommittedAfter(after: number, limit: number): Array<StreamRow & { channel: string; receivedAt: number }> {
    return this.selectCommittedAfter.all(after, limit) as Array<StreamRow & { channel: string; receivedAt: number }>;
  }

  /** The newest seq ever handed out (0 for a new log). */
  head(): number {
    return (this.selectHead.get() as number | undefined) ?? 0;
  }

  /**
   * The newest seq stored for `channel` (0 when none is). What a client is told of the log: the
   * global head would tell every token holder how much the relay's other channels receive.
   */
  channelHead(channel: string): number {
    return (this.selectChannelHead.get(channel) as number | null) ?? 0;
  }

  /** Every seq up to and including this one may have been pruned (0 when nothing was). */
  prunedThrough(): number {
    return (this.selectPrunedThrough.get(PRUNED_THROUGH) as number | undefined) ?? 0;
  }

  /**
   * Deletes up to `limit` of the oldest rows received before `cutoff` (epoch ms) and returns how
   * many. Small batches keep each write transaction short, so ingest never waits long behind it.
   */
  pruneReceivedBefore(cutoff: number, limit: number): number {
    return this.db.transaction(() => {
      const seqs = this.deleteBefore.all(cutoff, limit) as number[];
      let newest = 0;
      for (const seq of seqs) newest = Math.max(newest, seq);
      if (newest > 0) this.upsertMeta.run(PRUNED_THROUGH, newest);
      return seqs.length;
    }).immediate();
  }

  size(): number {
    return this.countRows.get() as number;
  }
}
