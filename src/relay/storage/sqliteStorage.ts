/**
 * The embedded default: one SQLite file (WAL, synchronous=FULL) that one relay process writes.
 * The admin command writes the same file from another process; `data_version` tells the relay
 * when it did, for one pragma a tick. Reads answer from the same turn on the relay's connection;
 * the log's writes (appends, pruning) go to a writer thread with its own connection
 * (sqliteWriter.ts), so no commit's fsync holds up the event loop.
 */
import { ChannelStore } from '../channels.js';
import { openRelayDatabase, type OpenDatabaseOptions, type RelayDatabase } from '../database.js';
import { DatabaseFileGuard } from '../databaseFileGuard.js';
import { EventLog } from '../eventLog.js';
import { TokenStore } from '../tokens.js';
import { SqliteWriter } from './sqliteWriter.js';
import type { RelayStorage, StorageEvents } from './storage.js';

export class SqliteStorage implements RelayStorage {
  readonly kind = 'sqlite';
  readonly db: RelayDatabase;
  private readonly log: EventLog;
  private readonly channels: ChannelStore;
  private readonly tokens: TokenStore;
  private readonly guard: DatabaseFileGuard;
  private events: StorageEvents | undefined;
  /** Started by the first write: an admin command that only reads or edits tokens never needs it. */
  private logWriter: SqliteWriter | undefined;

  constructor(readonly file: string, options: OpenDatabaseOptions = {}) {
    this.db = openRelayDatabase(file, options);
    this.log = new EventLog(this.db);
    this.channels = new ChannelStore(this.db);
    this.tokens = new TokenStore(this.db);
    this.guard = new DatabaseFileGuard(file, (error) => this.events?.onLost(error));
  }

  async append(entries: Parameters<RelayStorage['append']>[0]) {
    // Before the transaction: a file deleted or replaced must not be written to and acknowledged.
    this.guard.check();
    return this.writer().append(entries);
  }

  async stored(keys: Parameters<RelayStorage['stored']>[0]) {
    return this.log.stored(keys);
  }

  async readAfter(channel: string, after: number, limit: number) {
    return this.log.readAfter(channel, after, limit);
  }

  async readCommittedAfter(after: number, limit: number) {
    return this.log.readCommittedAfter(after, limit);
  }

  async latestOfBuild(channel: string, build: Parameters<RelayStorage['latestOfBuild']>[1]) {
    return this.log.latestOfBuild(channel, build);
  }

  async head() {
    return this.log.head();
  }

  async channelHead(channel: string) {
    return this.log.channelHead(channel);
  }

  async prunedThrough() {
    return this.log.prunedThrough();
  }

  async pruneReceivedBefore(cutoff: number, limit: number) {
    // On the writer's connection too: from the relay's, a prune would wait for the writer's lock on the event loop.
    return this.writer().prune(cutoff, limit);
  }

  async channelSecret(name: string) {
    return this.channels.secretOf(name);
  }

  async upsertChannel(name: string, secret: string, now: number) {
    return this.channels.upsert(name, secret, now);
  }

  async listChannels() {
    return this.channels.list();
  }

  async removeChannel(name: string) {
    return this.channels.remove(name);
  }

  async issueToken(channel: string, label: string, repos: readonly string[], now: number) {
    return this.tokens.issue(channel, label, repos, now);
  }

  async authenticate(token: string) {
    return this.tokens.authenticate(token);
  }

  async liveTokenIds(ids: readonly string[]) {
    return new Set(ids.filter((id) => this.tokens.isLive(id)));
  }

  async listTokens() {
    return this.tokens.list();
  }

  async revokeToken(id: string, now: number) {
    return this.tokens.revoke(id, now);
  }

  /** Writes go through the writer thread: ready means the file is the one opened and the thread has it open. */
  async ping(): Promise<void> {
    this.guard.check();
    await this.writer().ready();
  }

  watch(events: StorageEvents, pollMs: number): () => void {
    this.events = events;
    let lastDataVersion = this.dataVersion();
    const timer = setInterval(() => {
      try {
        this.guard.check();
      } catch {
        return; // the guard has told onLost
      }
      const version = this.dataVersion();
      if (version === lastDataVersion) return;
      lastDataVersion = version;
      events.onAdminChange();
    }, pollMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.events = undefined;
    };
  }

  async close() {
    await this.logWriter?.close();
    this.db.close();
  }

  private writer(): SqliteWriter {
    this.logWriter ??= new SqliteWriter(this.file, (error) => this.events?.onLost(error));
    return this.logWriter;
  }

  /** Changes exactly when another connection (the admin command) commits. */
  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
