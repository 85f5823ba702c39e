/**
 * acknowledgeBuild against a real SQLite log: what it stores and what it refuses; storage that
 * fails answers `unavailable`, and nothing is streamed that was not committed.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AcknowledgeFrame } from '../core/protocol.js';
import { makeTempDir } from '../../test/support/temp.js';
import { acknowledgeBuild, acknowledgerName } from './acknowledgements.js';
import { SqliteStorage } from './storage/sqliteStorage.js';
import type { TokenInfo } from './tokens.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

const token: TokenInfo = { id: 'tok_1', channel: 'acme', label: 'Ana', repos: ['acme/*'], createdAt: 0, revokedAt: null };
const frame: AcknowledgeFrame = { type: 'acknowledge', provider: 'cirrus', repository: 'acme/web', buildId: '7', active: true };
const event = (state: string) => JSON.stringify({ repository: { id: '1', owner: 'acme', name: 'web', private: false }, build: { id: '7', state, branch: 'main' } });

async function storageWith(state: string) {
  const storage = new SqliteStorage(path.join(temp.dir, `${state}-${Math.random()}.db`));
  await storage.append([{ channel: 'acme', dedupeKey: 'k', deliveryId: null, provider: 'cirrus', eventType: 'build', repository: 'acme/web', eventJson: event(state), buildId: '7', body: Buffer.from('{}'), receivedAt: 1 }]);
  return storage;
}

describe('acknowledgeBuild', () => {
  it('commits the acknowledgement with the relay\'s fields, and streams only what was committed', async () => {
    const storage = await storageWith('failed');
    const outcome = await acknowledgeBuild(frame, Buffer.from('raw'), token, { storage, commit: async (entry) => (await storage.append([entry]))[0]!, clock: () => 42 });
    expect(outcome).toMatchObject({ ok: true, streamed: { seq: 2, kind: 'acknowledgement', channel: 'acme', repository: 'acme/web' } });
    if (outcome.ok) expect(JSON.parse(outcome.streamed.eventJson)).toEqual({ provider: 'cirrus', repository: { id: '1', owner: 'acme', name: 'web', private: false }, buildId: '7', branch: 'main', by: 'Ana', active: true, at: 42 });
    const [row] = await storage.readAfter('acme', 1, 10);
    expect(row).toMatchObject({ seq: 2, kind: 'acknowledgement' });
    await storage.close();
  });

  it('answers unavailable when the log cannot be read or written', async () => {
    const storage = await storageWith('failed');
    const failingCommit = await acknowledgeBuild(frame, Buffer.from('raw'), token, { storage, commit: () => Promise.reject(new Error('SQLITE_FULL')), clock: () => 1 });
    expect(failingCommit).toMatchObject({ ok: false, code: 'unavailable' });
    const failingRead = await acknowledgeBuild(frame, Buffer.from('raw'), token, { storage: { latestOfBuild: () => Promise.reject(new Error('gone')) }, commit: () => Promise.reject(new Error('unreached')), clock: () => 1 });
    expect(failingRead).toMatchObject({ ok: false, code: 'unavailable' });
    expect(await storage.readAfter('acme', 1, 10)).toEqual([]);
    await storage.close();
  });

  it('does not look at the log for a repository outside the scope', async () => {
    let looked = false;
    const outcome = await acknowledgeBuild({ ...frame, repository: 'beta/web' }, Buffer.from('raw'), token, {
      storage: { latestOfBuild: async () => ((looked = true), event('failed')) }, commit: () => Promise.reject(new Error('unreached')), clock: () => 1,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'unknown_build' });
    expect(looked).toBe(false);
  });

  it('names a token without a label by its id, and cuts a long label to what an acknowledgement holds', () => {
    expect(acknowledgerName({ id: 'tok_9', label: '  ' })).toBe('tok_9');
    expect(acknowledgerName({ id: 'tok_9', label: 'x'.repeat(300) })).toHaveLength(200);
  });
});
