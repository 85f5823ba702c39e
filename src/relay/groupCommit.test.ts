import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../test/support/temp.js';
import { openRelayDatabase, type RelayDatabase } from './database.js';
import { EventLog, type NewLogEntry } from './eventLog.js';
import { GroupCommit } from './groupCommit.js';

const temp = makeTempDir();
let db: RelayDatabase;
afterEach(() => db?.close());

function setup() {
  db = openRelayDatabase(path.join(temp.dir, `log-${Math.random()}.db`));
  const log = new EventLog(db);
  const transaction = vi.spyOn(db, 'transaction');
  return { log, commits: new GroupCommit(async (entries) => db.transaction(() => entries.map((each) => log.append(each))).immediate()), transaction };
}

const entry = (key: string): NewLogEntry => ({
  channel: 'acme', dedupeKey: key, deliveryId: null, provider: 'cirrus', eventType: 'build',
  repository: 'acme/web', eventJson: '{}', buildId: '1', body: Buffer.from(key), receivedAt: 1,
});

describe('GroupCommit', () => {
  it('commits everything appended in one turn in one transaction, in order', async () => {
    const { log, commits, transaction } = setup();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => commits.append(entry(`k${i}`))));
    expect(results.map((result) => result.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(log.size()).toBe(50);
  });

  it('answers a duplicate within the same batch with the first copy\'s seq', async () => {
    const { commits } = setup();
    const [first, second] = await Promise.all([commits.append(entry('same')), commits.append(entry('same'))]);
    expect(first).toEqual({ seq: 1, duplicate: false });
    expect(second).toEqual({ seq: 1, duplicate: true });
  });

  it('rejects every delivery of a batch that could not commit, and stores none of it', async () => {
    const { log, commits } = setup();
    const broken = { ...entry('bad'), channel: null } as unknown as NewLogEntry; // violates NOT NULL
    const outcomes = await Promise.allSettled([commits.append(entry('a')), commits.append(broken), commits.append(entry('b'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(log.size()).toBe(0);
    // The next turn is a new batch, unaffected.
    await expect(commits.append(entry('c'))).resolves.toMatchObject({ duplicate: false });
  });
});
