/**
 * One contract, two storages: every promise of RelayStorage checked against a real SQLite file
 * and a real PostgreSQL server (started by the test itself, see test/support/postgres.ts).
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../src/relay/storage/postgres/postgresStorage.js';
import { SqliteStorage } from '../../src/relay/storage/sqliteStorage.js';
import type { NewLogEntry, RelayStorage, StorageEvents } from '../../src/relay/storage/storage.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
  temp.remove();
});

interface Kind {
  readonly name: string;
  /** A fresh, empty storage, and a function that opens a second handle on the same one (another process or instance). */
  open(): Promise<{ storage: RelayStorage; another(): Promise<RelayStorage> }>;
}

let files = 0;
const kinds: Kind[] = [
  {
    name: 'SQLite',
    async open() {
      const file = path.join(temp.dir, `contract-${(files += 1)}.db`);
      return { storage: new SqliteStorage(file), another: async () => new SqliteStorage(file) };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const url = await postgres.createDatabase();
      return { storage: await PostgresStorage.open(url), another: () => PostgresStorage.open(url) };
    },
  },
];

let key = 0;
function entry(overrides: Partial<NewLogEntry> = {}): NewLogEntry {
  key += 1;
  return {
    channel: 'acme', dedupeKey: `key-${key}`, deliveryId: null, provider: 'cirrus', eventType: 'build',
    repository: 'acme/web', eventJson: JSON.stringify({ n: key }), buildId: String(key), body: Buffer.from(`body ${key}`), receivedAt: 1000 + key,
    ...overrides,
  };
}

function recorder(): StorageEvents & { admin: number; heads: number[]; lost: Error[] } {
  const seen = { admin: 0, heads: [] as number[], lost: [] as Error[] };
  return Object.assign(seen, {
    onAdminChange: () => void (seen.admin += 1),
    onRemoteCommit: (head: number) => void seen.heads.push(head),
    onLost: (error: Error) => void seen.lost.push(error),
  });
}

describe.each(kinds)('$name storage', (kind) => {
  it('appends in order, and answers a delivery stored before by either key with its seq', async () => {
    const { storage } = await kind.open();
    try {
      const [a, b] = [entry(), entry({ deliveryId: 'delivery-1' })];
      const first = await storage.append([a, b, { ...a }]);
      expect(first).toEqual([{ seq: 1, duplicate: false }, { seq: 2, duplicate: false }, { seq: 1, duplicate: true }]);
      // Same delivery id, another body; same body, another id: both the same delivery.
      const again = await storage.append([entry({ deliveryId: 'delivery-1' }), { ...b, deliveryId: 'delivery-2' }, entry()]);
      expect(again.slice(0, 2)).toEqual([{ seq: 2, duplicate: true }, { seq: 2, duplicate: true }]);
      // Seqs only increase; a refused insert may leave a hole (SQLite's AUTOINCREMENT does).
      expect(again[2]).toEqual({ seq: expect.any(Number), duplicate: false });
      expect(again[2]!.seq).toBeGreaterThan(2);
      expect(await storage.stored({ channel: 'acme', dedupeKey: a.dedupeKey, deliveryId: null })).toBe(1);
      expect(await storage.stored({ channel: 'acme', dedupeKey: 'nothing', deliveryId: 'delivery-1' })).toBe(2);
      expect(await storage.stored({ channel: 'other', dedupeKey: a.dedupeKey, deliveryId: null })).toBeUndefined();
      expect(await storage.head()).toBe(again[2]!.seq);
    } finally {
      await storage.close();
    }
  });

  it('reads a channel after a seq, and every channel for fan-out, without records that are never streamed', async () => {
    const { storage } = await kind.open();
    try {
      await storage.append([entry(), entry({ channel: 'other', repository: 'other/x' }), entry({ eventJson: null, repository: null }), entry()]);
      expect((await storage.readAfter('acme', 0, 10)).map((row) => row.seq)).toEqual([1, 4]);
      expect((await storage.readAfter('acme', 1, 10)).map((row) => row.seq)).toEqual([4]);
      expect((await storage.readAfter('acme', 0, 1)).map((row) => row.seq)).toEqual([1]);
      const all = await storage.readCommittedAfter(0, 10);
      expect(all.map((row) => [row.seq, row.channel])).toEqual([[1, 'acme'], [2, 'other'], [4, 'acme']]);
      expect(all[0]).toMatchObject({ repository: 'acme/web', receivedAt: expect.any(Number), eventJson: expect.stringMatching(/^\{/) });
      expect([await storage.channelHead('acme'), await storage.channelHead('other'), await storage.channelHead('none')]).toEqual([4, 2, 0]);
    } finally {
      await storage.close();
    }
  });

  it('finds the newest event of a build by provider, repository and id, and reads acknowledgements back as their own kind', async () => {
    const { storage } = await kind.open();
    try {
      const failed = entry({ buildId: '7', eventJson: '{"state":"failed"}' });
      await storage.append([
        failed,
        // Same id, another provider, repository or channel: other builds.
        entry({ buildId: '7', provider: 'github', eventJson: '{"github":true}' }),
        entry({ buildId: '7', repository: 'acme/api', eventJson: '{"api":true}' }),
        entry({ buildId: '7', channel: 'other', eventJson: '{"other":true}' }),
        entry({ eventType: 'acknowledgement', buildId: null, eventJson: '{"by":"Ana"}' }),
      ]);
      const build = { provider: 'cirrus', repository: 'acme/web', buildId: '7' };
      expect(await storage.latestOfBuild('acme', build)).toBe('{"state":"failed"}');
      await storage.append([entry({ buildId: '7', eventJson: '{"state":"passed"}' })]);
      expect(await storage.latestOfBuild('acme', build)).toBe('{"state":"passed"}');
      expect(await storage.latestOfBuild('acme', { ...build, buildId: '8' })).toBeUndefined();
      expect(await storage.latestOfBuild('acme', { ...build, repository: 'ACME/web' })).toBeUndefined();
      expect((await storage.readAfter('acme', 0, 10)).map((row) => row.kind)).toEqual(['event', 'event', 'event', 'acknowledgement', 'event']);
      expect((await storage.readCommittedAfter(4, 10)).map((row) => [row.seq, row.kind])).toEqual([[5, 'acknowledgement'], [6, 'event']]);
    } finally {
      await storage.close();
    }
  });

  it('prunes the oldest rows in batches and remembers how far it went', async () => {
    const { storage } = await kind.open();
    try {
      await storage.append([entry({ receivedAt: 1 }), entry({ receivedAt: 2 }), entry({ receivedAt: 3 }), entry({ receivedAt: 50 })]);
      expect(await storage.pruneReceivedBefore(10, 2)).toBe(2);
      expect(await storage.pruneReceivedBefore(10, 2)).toBe(1);
      expect(await storage.prunedThrough()).toBe(3);
      expect((await storage.readAfter('acme', 0, 10)).map((row) => row.seq)).toEqual([4]);
      // The head never goes back, even once pruning empties the log.
      expect(await storage.pruneReceivedBefore(100, 10)).toBe(1);
      expect(await storage.head()).toBe(4);
      expect((await storage.append([entry()]))[0]!.seq).toBe(5);
    } finally {
      await storage.close();
    }
  });

  it('keeps channels and tokens: issue, authenticate, revoke, and removal with everything of the channel', async () => {
    const { storage } = await kind.open();
    try {
      expect(await storage.upsertChannel('acme', 'a-secret-of-16-chars', 1)).toBe('created');
      expect(await storage.upsertChannel('acme', 'another-secret-of-16', 2)).toBe('updated');
      expect(await storage.channelSecret('acme')).toBe('another-secret-of-16');
      await expect(storage.upsertChannel('bad name', 'a-secret-of-16-chars', 1)).rejects.toThrow(/channel name/);
      await expect(storage.issueToken('nowhere', 'x', [], 1)).rejects.toThrow(/no channel named 'nowhere'/);
      const issued = await storage.issueToken('acme', 'ada', ['acme/*'], 5);
      expect(await storage.authenticate(issued.token)).toEqual({ id: issued.info.id, channel: 'acme', label: 'ada', repos: ['acme/*'], createdAt: 5, revokedAt: null });
      expect(await storage.authenticate('bb_not-a-token')).toBeUndefined();
      expect(await storage.liveTokenIds([issued.info.id, 'tok_gone'])).toEqual(new Set([issued.info.id]));
      expect(await storage.revokeToken(issued.info.id, 9)).toBe(true);
      expect(await storage.revokeToken(issued.info.id, 9)).toBe(false);
      expect(await storage.authenticate(issued.token)).toBeUndefined();
      expect((await storage.listTokens())[0]).toMatchObject({ id: issued.info.id, revokedAt: 9 });
      await storage.append([entry()]);
      expect(await storage.removeChannel('acme')).toBe(true);
      expect(await storage.listChannels()).toEqual([]);
      expect(await storage.listTokens()).toEqual([]);
      expect(await storage.readAfter('acme', 0, 10)).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('tells a watching relay about admin changes made through another handle', async () => {
    const { storage, another } = await kind.open();
    const admin = await another();
    const seen = recorder();
    const stop = storage.watch(seen, 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.upsertChannel('acme', 'a-secret-of-16-chars', 1);
      await expect.poll(() => seen.admin, { timeout: 5000 }).toBeGreaterThan(0);
      expect(seen.lost).toEqual([]);
    } finally {
      stop();
      await admin.close();
      await storage.close();
    }
  });
});

describe('a log from before acknowledgements', () => {
  const oldEvent = (id: string) => JSON.stringify({ provider: 'cirrus', repository: { owner: 'acme', name: 'web' }, build: { id, state: 'failed' } });

  it('SQLite: gets each event\'s build id from its JSON when migrated', async () => {
    const file = path.join(temp.dir, `old-${(files += 1)}.db`);
    const storage = new SqliteStorage(file);
    await storage.append([entry({ buildId: null, eventJson: oldEvent('41') }), entry({ buildId: null, eventJson: null, repository: null })]);
    // Back to schema 2, as a relay before acknowledgements left it.
    storage.db.exec('DROP INDEX events_by_build; ALTER TABLE events DROP COLUMN build_id; PRAGMA user_version = 2');
    await storage.close();
    const migrated = new SqliteStorage(file);
    try {
      expect(await migrated.latestOfBuild('acme', { provider: 'cirrus', repository: 'acme/web', buildId: '41' })).toBe(oldEvent('41'));
      expect(migrated.db.prepare('SELECT build_id FROM events ORDER BY seq').pluck().all()).toEqual(['41', null]);
    } finally {
      await migrated.close();
    }
  });

  it('PostgreSQL: gets each event\'s build id from its JSON when migrated', async () => {
    const url = await postgres.createDatabase();
    const storage = await PostgresStorage.open(url);
    await storage.append([entry({ buildId: null, eventJson: oldEvent('42') }), entry({ buildId: null, eventJson: null, repository: null })]);
    await storage.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('ALTER TABLE events DROP COLUMN build_id; UPDATE buildbell_schema SET version = 1');
    await client.end();
    const migrated = await PostgresStorage.open(url);
    try {
      expect(await migrated.latestOfBuild('acme', { provider: 'cirrus', repository: 'acme/web', buildId: '42' })).toBe(oldEvent('42'));
    } finally {
      await migrated.close();
    }
  });
});

describe('PostgreSQL with several instances', () => {
  it('tells an instance the head another committed', async () => {
    const { storage, another } = await kinds[1]!.open();
    const other = await another();
    const seen = recorder();
    const stop = storage.watch(seen, 10_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.append([entry(), entry()]);
      // The notification, not the (10 s) poll.
      await expect.poll(() => seen.heads.at(-1), { timeout: 3000 }).toBe(2);
    } finally {
      stop();
      await other.close();
      await storage.close();
    }
  });

  it('commits in seq order across instances: a reader that saw seq n never later finds a new row below n', async () => {
    const { storage, another } = await kinds[1]!.open();
    const instances = [storage, await another(), await another()];
    const seen = new Set<number>();
    let highest = 0;
    const late: number[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const rows = await storage.readCommittedAfter(0, 100_000);
        for (const row of rows) {
          if (!seen.has(row.seq) && row.seq < highest) late.push(row.seq);
          seen.add(row.seq);
          highest = Math.max(highest, row.seq);
        }
      }
    })();
    try {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => instances[i % 3]!.append([entry(), entry(), entry()])));
      writing = false;
      await reader;
      const seqs = results.flat().map((result) => result.seq);
      expect(new Set(seqs).size).toBe(180);
      expect(Math.max(...seqs)).toBe(180);
      expect(late).toEqual([]);
    } finally {
      writing = false;
      for (const instance of instances) await instance.close();
    }
  }, 60_000);

  it('stores a delivery sent to two instances at once once, and both answer with its seq', async () => {
    const { storage, another } = await kinds[1]!.open();
    const other = await another();
    try {
      const same = entry({ deliveryId: 'to-both' });
      const answers = await Promise.all([storage.append([same]), other.append([{ ...same }])]);
      expect(answers.flat().map((answer) => answer.seq)).toEqual([1, 1]);
      expect(answers.flat().filter((answer) => answer.duplicate)).toHaveLength(1);
    } finally {
      await other.close();
      await storage.close();
    }
  });
});
