/**
 * The relay's one storage boundary: the event log, channels and tokens, and word of changes made
 * elsewhere (the admin command, another relay instance). Two implementations: SQLite, the
 * embedded default for one relay process (`sqliteStorage.ts`), and PostgreSQL for several
 * instances on one database (`postgresStorage.ts`). Everything is asynchronous because a network
 * database is; the SQLite one answers from the same turn.
 */
import type { Channel } from '../channels.js';
import type { AppendResult, BuildLookup, NewLogEntry, StreamKind, StreamRow } from '../eventLog.js';
import type { IssuedToken, TokenInfo } from '../tokens.js';

export type { AppendResult, BuildLookup, Channel, IssuedToken, NewLogEntry, StreamKind, StreamRow, TokenInfo };

/** The keys that name one delivery: the body key, and the provider's delivery id where it sends one. */
export type DeliveryKeys = Pick<NewLogEntry, 'channel' | 'dedupeKey' | 'deliveryId'>;

/** A committed, streamable row with what fan-out needs (all channels; for instances that did not commit it). */
export interface CommittedRow extends StreamRow {
  readonly channel: string;
  readonly receivedAt: number;
}

/** What a running relay hears from its storage. */
export interface StorageEvents {
  /** Another process changed channels or tokens: drop cached secrets, close revoked streams. */
  onAdminChange(): void;
  /** Rows were committed by another instance, up to this seq: read and fan them out in order. */
  onRemoteCommit(head: number): void;
  /** The storage can no longer keep the relay's promises (its file deleted or replaced): stop. */
  onLost(error: Error): void;
}

export interface RelayStorage {
  /** `sqlite` or `postgres`: whether fan-out can trust local commits alone (only one writer). */
  readonly kind: 'sqlite' | 'postgres';

  /** Commits the entries in one transaction, in order; each gets its seq or its earlier copy's. Durable when it resolves. */
  append(entries: readonly NewLogEntry[]): Promise<AppendResult[]>;
  /** The seq of an earlier copy of this delivery, if one is stored. */
  stored(keys: DeliveryKeys): Promise<number | undefined>;
  /** Streamable rows of `channel` with seq > `after`, oldest first, at most `limit`. */
  readAfter(channel: string, after: number, limit: number): Promise<StreamRow[]>;
  /** Streamable rows of every channel with seq > `after`, oldest first, at most `limit` (cross-instance fan-out). */
  readCommittedAfter(after: number, limit: number): Promise<CommittedRow[]>;
  /**
   * The JSON of the newest stored event of this build in `channel` (by seq), or undefined when the
   * channel has none: through an index, for acknowledgements (issue #17).
   */
  latestOfBuild(channel: string, build: BuildLookup): Promise<string | undefined>;
  /** The newest seq ever handed out (0 for a new log). */
  head(): Promise<number>;
  /** The newest seq stored for `channel` (0 when none is). */
  channelHead(channel: string): Promise<number>;
  /** Every seq up to and including this one may have been pruned. */
  prunedThrough(): Promise<number>;
  /** Deletes up to `limit` of the oldest rows received before `cutoff`; how many. */
  pruneReceivedBefore(cutoff: number, limit: number): Promise<number>;

  channelSecret(name: string): Promise<string | undefined>;
  upsertChannel(name: string, secret: string, now: number): Promise<'created' | 'updated'>;
  listChannels(): Promise<Channel[]>;
  removeChannel(name: string): Promise<boolean>;

  issueToken(channel: string, label: string, repos: readonly string[], now: number): Promise<IssuedToken>;
  /** The live token this secret belongs to, or undefined (unknown or revoked). */
  authenticate(token: string): Promise<TokenInfo | undefined>;
  /** Of these token ids, the ones still live (not revoked, channel not removed). */
  liveTokenIds(ids: readonly string[]): Promise<Set<string>>;
  listTokens(): Promise<TokenInfo[]>;
  revokeToken(id: string, now: number): Promise<boolean>;

  /** Connection pool figures for the metrics, where the storage has a pool (PostgreSQL). */
  poolFigures?(): { total: number; idle: number; waiting: number };

  /** Resolves when the storage can take writes now; rejects (StorageUnavailableError) when not. For /healthz. */
  ping(): Promise<void>;

  /**
   * Starts telling `events` about changes from elsewhere (polled or pushed, at most every
   * `pollMs`). Returns a stop function. Only a running relay watches; admin commands do not.
   */
  watch(events: StorageEvents, pollMs: number): () => void;
  close(): Promise<void>;
}
