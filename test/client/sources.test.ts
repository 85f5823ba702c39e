/**
 * Each kind of source as the session starts them, each feeding the real engine (with the shared
 * recording notifier): the demo's embedded simulator, the Cirrus poller against the simulator's
 * GraphQL API, and a relay whose log was pruned past the client's cursor, reconciled through the API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routeBuildActions } from '../../src/client/sources/actionRouter.js';
import { createCirrusBuildActions } from '../../src/client/sources/cirrus/actions.js';
import { silentLogger } from '../../src/core/ports.js';
import { createEngine, type Engine } from '../../src/client/engine/engine.js';
import { defaultSettings } from '../../src/client/settings/schema.js';
import { createMemoryCursor } from '../../src/client/sources/relay/cursorFile.js';
import type { PreparedSource } from '../../src/client/sources/contract.js';
import { prepareCirrusPoller, type CirrusPollChoice } from '../../src/client/sources/cirrus/source.js';
import { prepareDemoSource } from '../../src/client/sources/demo/source.js';
import { prepareRelaySource, type RelayChoice } from '../../src/client/sources/relay/source.js';
import { startDemoFeed } from '../../src/sim/demoFeed.js';
import { createCirrusApi } from '../../src/providers/cirrus/api/client.js';
import { startRelay } from '../../src/relay/server.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Choice = RelayChoice | CirrusPollChoice | { kind: 'demo'; speed: number };

async function prepare(choice: Choice): Promise<PreparedSource> {
  const deps = { logger: silentLogger, clock: Date.now };
  if (choice.kind === 'demo') return prepareDemoSource(await startDemoFeed({ provider: 'cirrus', speed: choice.speed, logger: silentLogger }));
  return choice.kind === 'relay' ? prepareRelaySource(choice, deps) : prepareCirrusPoller(choice, deps);
}

async function run(choice: Choice): Promise<{ source: PreparedSource; engine: Engine; notifier: RecordingNotifier }> {
  const source = await prepare(choice);
  const notifier = new RecordingNotifier();
  const engine = createEngine({
    settings: defaultSettings(), clock: Date.now, notifier, opener: async () => undefined,
    ...(source.actions.length > 0 ? { actions: routeBuildActions(source.actions)! } : {}),
  });
  cleanups.push(() => source.stop(), () => engine.close());
  await source.start(engine);
  return { source, engine, notifier };
}

describe('sources', () => {
  it('demo: the embedded simulator feeds the engine, with approve and re-run available', async () => {
    const { source, engine, notifier } = await run({ kind: 'demo', speed: 6 });
    expect(source.label).toBe('demo (built-in simulator)');
    expect(source.actions).toBeDefined();
    expect(engine.trayModel().connections[0]).toMatchObject({ connected: true, source: 'demo (built-in simulator)' });
    // The opening scene fails a build within 15 simulated seconds.
    await expect.poll(() => notifier.shown.some((intent) => intent.title.includes('failed')), { timeout: 10_000 }).toBe(true);
    const failed = engine.trayModel().recentBuilds.find((build) => build.state === 'failed')!;
    expect(failed.rerunnable).toBe(true);
  });

  it('cirrus: polls the simulator\'s GraphQL API and reports the connection', async () => {
    const simulator = await startSimulator({ seed: 3, autoAdvance: false });
    cleanups.push(() => simulator.stop());
    const api = createCirrusApi({ endpoint: simulator.graphqlUrl! });
    const { source, engine } = await run({ kind: 'cirrus', api, repositories: ['acme/web', 'acme/api'], intervalMs: 60_000 });
    expect(source.label).toBe('Cirrus API (2 repositories)');
    expect(engine.trayModel().connections[0]).toMatchObject({ connected: true, reason: null });
    expect(simulator.graphqlRequestCount()).toBe(1);
  });

  it('relay: after a gap, reconciles through the Cirrus API as one catch-up', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    let now = Date.now();
    const relay = await startRelay({ database: seeded.file, port: 0, retentionMs: 60_000 }, { clock: () => now });
    cleanups.push(() => relay.close());
    const simulator = await startSimulator({
      seed: 5, autoAdvance: false, scenario: false, historyPerRepository: 0,
      relay: { url: `${relay.url}/hooks/acme`, secret: TEST_SECRET },
    });
    cleanups.push(() => simulator.stop());
    const api = createCirrusApi({ endpoint: simulator.graphqlUrl!, token: 'sim-write-token' });
    const finish = async (request: Parameters<typeof simulator.startBuild>[0]) => {
      const build = simulator.startBuild(request);
      simulator.advance(60 * 60_000);
      await simulator.deliveriesSettled();
      return build;
    };

    // A desktop that saw the first build of acme/web, then went away.
    const cursor = createMemoryCursor();
    const first = await run({ kind: 'relay', url: relay.url, token, cursor, cirrus: api });
    await expect.poll(() => first.engine.trayModel().connections[0]?.connected).toBe(true);
    const passed = await finish({ repository: 'acme/web', outcome: 'pass' });
    await expect.poll(() => first.engine.trayModel().recentBuilds.map((build) => build.id)).toContain(passed.id);
    await first.source.stop();

    // While it was away: a build fails, and the relay prunes it before the desktop returns.
    const failed = await finish({ repository: 'acme/web', outcome: 'fail' });
    now += 120_000;
    expect(await relay.maintenance.pruneNow()).toBeGreaterThan(0);

    // Back, with the same engine state in a new process: the gap is reconciled through the API.
    const notifier = new RecordingNotifier();
    const engine = createEngine({ settings: defaultSettings(), clock: Date.now, notifier, opener: async () => undefined, actions: routeBuildActions([createCirrusBuildActions(api)])! });
    cleanups.push(() => engine.close());
    for (const build of first.engine.trayModel().recentBuilds) expect(build.id).not.toBe(failed.id);
    const again = await prepare({ kind: 'relay', url: relay.url, token, cursor, cirrus: api });
    cleanups.push(() => again.stop());
    // The engine must know the repository to ask about it: replay what the first engine knew.
    engine.handle({ ...passedEvent(first.engine, passed.id) }, {});
    await again.start(engine);
    await expect.poll(() => engine.trayModel().recentBuilds.find((build) => build.id === failed.id)?.state, { timeout: 5000 }).toBe('failed');
    // One notification for what happened while away (the failure, and the simulator's fix build
    // that followed it), not one per reconciled build.
    await expect.poll(() => notifier.shown.length).toBe(1);
    expect(notifier.shown[0]).toMatchObject({ key: 'summary:catch-up', title: 'While you were away: 2 builds: 1 failed, 1 fixed' });
  });
});

/** The normalised event of a build the engine knows, rebuilt from its tray entry for a second engine. */
function passedEvent(engine: Engine, buildId: string) {
  const build = engine.trayModel().recentBuilds.find((entry) => entry.id === buildId)!;
  const [owner = '', name = ''] = build.repository.split('/');
  return {
    id: `seen:${buildId}`, provider: 'cirrus' as const, kind: 'build' as const, action: 'updated' as const, receivedAt: Date.now(),
    repository: { id: '1', owner, name, private: false },
    build: { id: buildId, status: 'COMPLETED', previousStatus: 'EXECUTING', state: 'passed' as const, branch: build.branch, sha: null, title: build.title, pullRequest: null, initiator: null, url: build.url, changedAt: null },
    task: null,
  };
}
