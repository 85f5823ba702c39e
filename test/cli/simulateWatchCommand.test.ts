/**
 * `buildbell simulate --relay …` prints the `watch` command that follows it through the relay,
 * and that command's Approve acts on the simulator, not on api.cirrus-ci.com (which, from the
 * relay's events alone, is where it went: ENOTFOUND on a machine without the internet).
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createCirrusApi } from '../../src/providers/cirrus/api/client.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { parseWatchArgs } from '../../src/cli/commands/watch.js';
import { watchSettings } from '../../src/cli/commands/watchSettings.js';
import { prepareSourceFromSettings } from '../../src/client/session/sourceFromSettings.js';
import { createTokenResolver, memoryTokenSource } from '../../src/client/session/tokens.js';
import { parseSimulateArgs, runSimulate, type SimulateOptions } from '../../src/cli/commands/simulate.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { silentLogger } from '../../src/core/ports.js';
import type { CliIo } from '../../src/cli/io.js';
import { seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
let relay: Relay | undefined;
afterAll(async () => {
  await relay?.close();
  temp.remove();
});

describe('the watch command simulate prints', () => {
  it('goes through the relay, and its Approve reaches the simulator', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    relay = await startRelay({ database: seeded.file, port: 0 });
    let stdout = '';
    const io: CliIo = { stdout: new Writable({ write(chunk, _e, done) { stdout += String(chunk); done(); } }), stderr: new Writable({ write(_c, _e, done) { done(); } }), env: {} };
    let stop!: () => void;
    const running = runSimulate(parseSimulateArgs(['--seed', '1', '--speed', '20', '--quiet', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET]) as SimulateOptions, io, new Promise<void>((resolve) => (stop = resolve)));
    try {
      for (let waited = 0; !/GraphQL API: /.test(stdout) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stdout).toMatch(/watch it: /);
      const line = /watch it: +(.*)/.exec(stdout)![1]!;
      const graphql = /GraphQL API: (\S+)/.exec(stdout)![1]!;
      expect(line).toBe(`buildbell watch --relay ${relay.url.replace('http', 'ws')} --token "$TOKEN" --endpoint ${graphql} --cirrus-token sim-write-token`);

      const args = line.replace('"$TOKEN"', seeded.issueToken().token).split(' ').slice(2);
      const chosen = watchSettings(parseWatchArgs(args), settingsSchema.parse({}), { env: {} });
      const [entry] = chosen.settings.sources;
      expect(entry).toMatchObject({ kind: 'relay', cirrusEndpoint: graphql });
      const source = await prepareSourceFromSettings(entry!, {
        tokens: createTokenResolver({ store: memoryTokenSource(chosen.tokens, null), env: {} }), folder: temp.dir, logger: silentLogger, clock: Date.now,
      });
      const [cirrus] = source.actions;
      expect(cirrus?.provider).toBe('cirrus');

      // A build of the story waiting for approval, found through the simulator's API.
      const reader = createCirrusApi({ endpoint: graphql, token: 'sim-read-token' });
      let waiting: string | undefined;
      for (let attempt = 0; attempt < 200 && !waiting; attempt += 1) {
        const snapshots = await reader.pollRepositories([{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'api' }, { owner: 'acme', name: 'mobile' }]);
        waiting = JSON.stringify(snapshots).match(/"id":"(\d+)"[^{}]*"status":"NEEDS_APPROVAL"/)?.[1];
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(waiting).toBeDefined();
      await cirrus!.approve({ provider: 'cirrus', id: waiting!, repository: { owner: 'acme', name: 'web' }, url: `https://cirrus-ci.com/build/${waiting}` });
      const build = await reader.getBuild(waiting!);
      expect(build?.status).not.toBe('NEEDS_APPROVAL');
    } finally {
      stop();
      await running;
    }
  });
});
