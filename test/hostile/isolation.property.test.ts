/**
 * Isolation, as a property: for random token scopes and random event repositories, a client
 * receives exactly the events its scope covers (never one outside it, none missing), whether they
 * were stored before it connected (replay) or arrived while it listened (live). The oracle
 * (scopeOracle.ts) is written apart from src/core/glob.ts, so a bug there cannot hide itself.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelStore } from '../../src/relay/channels.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { buildDelivery, postDelivery, StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { oracleAllows } from './scopeOracle.js';

const owners = ['acme', 'ACME', 'beta', 'gamma'];
const names = ['web', 'api', 'docs', 'webapp'];
const glob = fc.tuple(
  fc.constantFrom('acme', 'Acme', 'beta', '*', 'a*', '?cme', 'be?a', 'g*a', 'zeta'),
  fc.constantFrom('web', 'api', 'w*', '*', 'a?i', 'docs', '*app', '??b'),
).map(([owner, name]) => `${owner}/${name}`);
const repository = fc.tuple(fc.constantFrom(...owners), fc.constantFrom(...names));

const temp = makeTempDir('buildbell-isolation-');
let relay: Relay;
let runNumber = 0;
let buildId = 1;

beforeAll(async () => {
  relay = await startRelay({ database: `${temp.dir}/relay.db`, port: 0, rateLimits: null });
});
afterAll(async () => {
  await relay.close();
  temp.remove();
});

describe('token scopes', () => {
  it('let a client see exactly the events of its scope, live and replayed', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(glob, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      fc.array(repository, { minLength: 1, maxLength: 12 }),
      fc.array(repository, { minLength: 1, maxLength: 12 }),
      async (scopes, storedRepos, liveRepos) => {
        // A channel per run: runs share the relay but never each other's events.
        const channel = `iso-${(runNumber += 1)}`;
        const db = openRelayDatabase(`${temp.dir}/relay.db`);
        new ChannelStore(db).upsert(channel, TEST_SECRET, Date.now());
        const tokens = new TokenStore(db);
        const issued = scopes.map((scope) => tokens.issue(channel, 'prop', scope, Date.now()).token);
        const everything = tokens.issue(channel, 'control', [], Date.now()).token;
        db.close();

        const posted: Array<{ seq: number; repository: string }> = [];
        const post = async ([owner, name]: [string, string]) => {
          const answer = await postDelivery(relay.url, channel, buildDelivery(owner, name, (buildId += 1)));
          expect(answer.status).toBe(200);
          posted.push({ seq: answer.body['seq'] as number, repository: `${owner}/${name}` });
        };
        for (const repo of storedRepos) await post(repo);
        const clients = await Promise.all([...issued, everything].map((token) => StreamRecorder.connect(relay.url, token, 0)));
        try {
          await Promise.all(clients.map((client) => client.waitFor((frames) => frames.some((frame) => frame.type === 'live'))));
          for (const repo of liveRepos) await post(repo);
          const expected = scopes.map((scope) => posted.filter((entry) => oracleAllows(scope, entry.repository)).map((entry) => entry.seq));
          await clients.at(-1)!.waitForEvents(posted.length);
          await Promise.all(expected.map((seqs, i) => clients[i]!.waitForEvents(seqs.length)));
          // A moment more, so an event that should not come has had every chance to arrive.
          await new Promise((resolve) => setTimeout(resolve, 50));
          scopes.forEach((scope, i) => {
            expect(clients[i]!.events.map((frame) => frame.seq)).toEqual(expected[i]);
            for (const frame of clients[i]!.events) expect(oracleAllows(scope, `${frame.event.repository.owner}/${frame.event.repository.name}`)).toBe(true);
          });
        } finally {
          clients.forEach((client) => client.close());
        }
      },
    ), { numRuns: 25 });
  }, 120_000);
});
