/**
 * Acknowledgements never cross token scopes, as a property (issue #17): for random scopes and
 * repositories, every client tries to acknowledge every failed build; the relay takes exactly the
 * attempts the sender's scope covers (the rest are answered `unknown_build`), and each client
 * receives exactly the acknowledgements of repositories its own scope covers, whoever sent them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelStore } from '../../src/relay/channels.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { buildDelivery, postDelivery, StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { acknowledgementsOf, errorsOf, pause, sendAcknowledge, waitLive } from '../relay/acknowledging.js';
import { oracleAllows } from './scopeOracle.js';

const glob = fc.tuple(
  fc.constantFrom('acme', 'Acme', 'beta', '*', 'a*', '?cme', 'be?a', 'zeta'),
  fc.constantFrom('web', 'api', 'w*', '*', 'a?i', '*app', '??b'),
).map(([owner, name]) => `${owner}/${name}`);
const repository = fc.tuple(fc.constantFrom('acme', 'beta', 'gamma'), fc.constantFrom('web', 'api', 'webapp'));

const temp = makeTempDir('buildbell-ack-isolation-');
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

describe('acknowledgements and token scopes', () => {
  it('are taken only within the sender\'s scope and reach only the clients whose scope covers them', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(glob, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      // At most 8 builds: every client's attempts stay within its burst of 10 frames.
      fc.uniqueArray(repository, { minLength: 1, maxLength: 8, selector: ([owner, name]) => `${owner}/${name}` }),
      async (scopes, repos) => {
        const channel = `ack-${(runNumber += 1)}`;
        const db = openRelayDatabase(`${temp.dir}/relay.db`);
        new ChannelStore(db).upsert(channel, TEST_SECRET, Date.now());
        const tokens = new TokenStore(db);
        const issued = scopes.map((scope, i) => tokens.issue(channel, `scope-${i}`, scope, Date.now()).token);
        const everything = tokens.issue(channel, 'control', [], Date.now()).token;
        db.close();

        const builds: Array<{ repository: string; id: number }> = [];
        for (const [owner, name] of repos) {
          const id = (buildId += 1);
          expect((await postDelivery(relay.url, channel, buildDelivery(owner, name, id))).status).toBe(200);
          builds.push({ repository: `${owner}/${name}`, id });
        }
        const clients = await Promise.all([...issued, everything].map((token) => StreamRecorder.connect(relay.url, token)));
        try {
          await Promise.all(clients.map(waitLive));
          const scoped = clients.slice(0, scopes.length);
          const control = clients.at(-1)!;
          scoped.forEach((client) => builds.forEach((build) => sendAcknowledge(client, build.repository, build.id)));
          const allowed = scopes.map((scope) => builds.filter((build) => oracleAllows(scope, build.repository)).length);
          const total = allowed.reduce((sum, n) => sum + n, 0);
          // Every attempt is answered: taken (the control sees it) or refused (its sender hears so).
          await control.waitFor(() => acknowledgementsOf(control).length === total);
          await Promise.all(scoped.map((client, i) => client.waitFor(() => errorsOf(client).length === builds.length - allowed[i]!)));
          // A moment more, so a frame that should not come has had every chance to arrive.
          await pause(50);
          const all = acknowledgementsOf(control);
          scopes.forEach((scope, i) => {
            const client = scoped[i]!;
            expect(errorsOf(client).every((frame) => frame.code === 'unknown_build')).toBe(true);
            const taken = all.filter((frame) => frame.acknowledgement.by === `scope-${i}`).map((frame) => `${frame.acknowledgement.repository.owner}/${frame.acknowledgement.repository.name}`);
            expect(taken.every((repo) => oracleAllows(scope, repo))).toBe(true);
            const expected = all.filter((frame) => oracleAllows(scope, `${frame.acknowledgement.repository.owner}/${frame.acknowledgement.repository.name}`)).map((frame) => frame.seq);
            expect(acknowledgementsOf(client).map((frame) => frame.seq)).toEqual(expected);
          });
        } finally {
          clients.forEach((client) => client.close());
        }
      },
    ), { numRuns: 20 });
  }, 120_000);
});
