/**
 * The client session both shells use: several sources at once feeding one engine, each by its
 * name, restarted alone when its settings change. Real relays and simulators where the point is
 * the wire (three sources, one failing); a counting demo starter where the point is what starts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEvent } from '../../src/core/event.js';
import { settingsSchema, type SettingsInput } from '../../src/client/settings/schema.js';
import { createTestSession, type TestSessionOptions } from '../support/clientSession.js';
import type { DemoFeed, DemoStarter } from '../../src/client/sources/demo/source.js';
import { startRelay } from '../../src/relay/server.js';
import { startGithubSimulator } from '../../src/sim/github/simulator.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { buildEvent } from '../support/engineEvents.js';
import { buildDelivery, postDelivery, seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const session = (settings: SettingsInput, options: TestSessionOptions = {}) => createTestSession(cleanups, settings, options);

/** A demo starter whose feeds are driven by the test: it counts starts and stops per seed. */
function countingDemo() {
  const started: number[] = [];
  const stopped: number[] = [];
  const feeds = new Map<number, (event: NormalisedEvent) => void>();
  const demo: DemoStarter = async ({ seed = 1, provider }) => {
    started.push(seed);
    const listeners = new Set<(event: NormalisedEvent) => void>();
    feeds.set(seed, (event) => listeners.forEach((listener) => listener(event)));
    const feed: DemoFeed = {
      provider,
      apiUrl: 'http://127.0.0.1:9/',
      writeToken: 'unused',
      onEvent: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      stop: async () => void stopped.push(seed),
    };
    return feed;
  };
  return { demo, started, stopped, emit: (seed: number, event: NormalisedEvent) => feeds.get(seed)!(event) };
}

describe('client session', () => {
  it('runs a relay, Cirrus polling and GitHub polling at once; one failing leaves the others running, and the tray names it', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => relay.close());
    const cirrus = await startSimulator({ seed: 2, autoAdvance: false, scenario: false, historyPerRepository: 0, relay: { url: `${relay.url}/hooks/acme`, secret: TEST_SECRET } });
    cleanups.push(() => cirrus.stop());
    const github = await startGithubSimulator({ seed: 3, autoAdvance: false });
    cleanups.push(() => github.stop());

    const { session: running } = session(
      {
        sources: [
          { kind: 'relay', name: 'work relay', url: relay.url, tokenEnv: 'WORK_RELAY_TOKEN' },
          { kind: 'cirrus', name: 'Cirrus', repositories: ['acme/web'], endpoint: cirrus.graphqlUrl! },
          { kind: 'github', name: 'personal GitHub', repositories: ['acme/web'], apiUrl: github.apiUrl!, tokenEnv: 'PERSONAL_GITHUB_TOKEN' },
          { kind: 'github', name: 'broken GitHub', repositories: ['acme/web'], apiUrl: 'http://127.0.0.1:9/' },
        ],
      },
      { env: { WORK_RELAY_TOKEN: seeded.issueToken().token, PERSONAL_GITHUB_TOKEN: 'sim-read-token' } },
    );
    await running.start();
    const lines = () => Object.fromEntries(running.engine.trayModel().connections.map((c) => [c.source, c.connected]));
    await expect.poll(lines, { timeout: 10_000 }).toEqual({ 'work relay': true, Cirrus: true, 'personal GitHub': true, 'broken GitHub': false });
    expect(running.engine.trayModel().state).not.toBe('offline');
    expect(running.engine.trayModel().headline).toMatch(/· broken GitHub down$/);

    // The relay's events arrive with its name: a build of the story, delivered as a webhook.
    const build = cirrus.startBuild({ repository: 'acme/api', outcome: 'fail' });
    cirrus.advance(60 * 60_000);
    await cirrus.deliveriesSettled();
    await expect.poll(() => running.engine.trayModel().recentBuilds.some((b) => b.id === build.id), { timeout: 10_000 }).toBe(true);
    expect(running.engine.trayModel().connections.find((c) => c.source === 'work relay')?.lastEventAt).not.toBeNull();
  });

  it('restarts only the source whose settings changed, and stops a removed one', async () => {
    const counting = countingDemo();
    const { session: running } = session({ sources: [{ kind: 'demo', name: 'a', seed: 1 }, { kind: 'demo', name: 'b', seed: 2 }] }, { demo: counting.demo });
    await running.start();
    expect(counting.started.sort()).toEqual([1, 2]);

    await running.apply(settingsSchema.parse({ sources: [{ kind: 'demo', name: 'a', seed: 1 }, { kind: 'demo', name: 'b', seed: 3 }], mutedRepositories: ['acme/x'] }));
    expect(counting.started).toEqual([1, 2, 3]);
    expect(counting.stopped).toEqual([2]);
    expect(running.engine.settings().mutedRepositories).toEqual(['acme/x']);

    // The same entry with its keys in another order is no change.
    await running.apply(settingsSchema.parse({ sources: [{ seed: 1, name: 'a', kind: 'demo' }, { kind: 'demo', name: 'b', seed: 3 }] }));
    expect(counting.started).toEqual([1, 2, 3]);

    // A token stored for "a" changes no setting, yet "a" must restart to use it.
    await running.apply(settingsSchema.parse({ sources: [{ kind: 'demo', name: 'a', seed: 1 }, { kind: 'demo', name: 'b', seed: 3 }] }), { restart: ['a'] });
    expect(counting.started).toEqual([1, 2, 3, 1]);

    await running.apply(settingsSchema.parse({ sources: [{ kind: 'demo', name: 'b', seed: 3 }] }));
    expect(counting.stopped).toEqual([2, 1, 1]);
    expect(running.engine.trayModel().connections.map((c) => c.source)).toEqual(['b']);
    // Events of a stopped source no longer reach the engine.
    counting.emit(1, buildEvent({ buildId: '9', state: 'failed' }));
    expect(running.engine.trayModel().recentBuilds).toEqual([]);
  });

  it('notifies once for a build that arrives from two sources', async () => {
    const counting = countingDemo();
    const { session: running, notifier } = session({ sources: [{ kind: 'demo', name: 'relay', seed: 1 }, { kind: 'demo', name: 'polling', seed: 2 }] }, { demo: counting.demo });
    await running.start();
    const failed = buildEvent({ buildId: '77', state: 'failed', at: Date.now() });
    counting.emit(1, failed);
    counting.emit(2, { ...failed, id: 'from-polling' });
    await expect.poll(() => notifier.shown.length).toBe(1);
    expect(running.engine.trayModel().recentBuilds.filter((b) => b.id === '77')).toHaveLength(1);
  });

  it('reports a source that cannot start by its name, with what to do, and runs the rest', async () => {
    const counting = countingDemo();
    const { session: running } = session(
      { sources: [{ kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', tokenEnv: 'MISSING_TOKEN' }, { kind: 'demo', name: 'demo' }] },
      { demo: counting.demo },
    );
    await running.start();
    expect(running.sources()).toEqual([
      expect.objectContaining({ name: 'work relay', problem: 'the relay token of “work relay” comes from $MISSING_TOKEN, which is not set' }),
      expect.objectContaining({ name: 'demo', problem: null }),
    ]);
    expect(running.engine.trayModel().connections).toEqual([
      expect.objectContaining({ source: 'work relay', connected: false, reason: expect.stringContaining('$MISSING_TOKEN') }),
      expect.objectContaining({ source: 'demo', connected: true }),
    ]);
  });

  it("removes a removed relay's cursor file, after the relay's source stopped, and keeps one another source still reads", async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => relay.close());
    const work = { kind: 'relay' as const, name: 'work', url: relay.url, tokenRef: 'flag:relay' };
    const sameRelay = { ...work, name: 'work again' };
    const { session: running, folder } = session({ sources: [work, sameRelay, { kind: 'demo', name: 'demo' }] }, { tokens: { 'flag:relay': seeded.issueToken().token } });
    await running.start();
    await expect.poll(() => running.engine.trayModel().connections.filter((connection) => connection.connected)).toHaveLength(3);
    expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 1))).status).toBe(200);
    const { readdir } = await import('node:fs/promises');
    const cursorFiles = async () => (await readdir(folder)).filter((file) => file.startsWith('relay-cursor-'));
    await expect.poll(cursorFiles).toHaveLength(1);

    // One of the two sources on that relay goes: the other still reads the file.
    await running.apply(settingsSchema.parse({ sources: [work, { kind: 'demo', name: 'demo' }] }));
    expect(await cursorFiles()).toHaveLength(1);
    // The last goes: so does the file, and the other source runs on.
    await running.apply(settingsSchema.parse({ sources: [{ kind: 'demo', name: 'demo' }] }));
    expect(await cursorFiles()).toEqual([]);
    expect(running.engine.trayModel().connections.map((connection) => connection.source)).toEqual(['demo']);
  });

  it('keeps one cursor file per relay, named after it', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => relay.close());
    const { session: running, folder } = session({ sources: [{ kind: 'relay', name: 'r', url: relay.url, tokenRef: 'flag:relay' }] }, { tokens: { 'flag:relay': seeded.issueToken().token } });
    await running.start();
    await expect.poll(() => running.engine.trayModel().connections[0]?.connected).toBe(true);
    const { readdir } = await import('node:fs/promises');
    const { relayCursorFileName } = await import('../../src/client/session/sourceFromSettings.js');
    expect(relayCursorFileName(`${relay.url.replace('http', 'ws')}/stream`)).toBe(`relay-cursor-${new URL(relay.url).host.replace(':', '_')}.json`);
    // The file appears once the relay has sent something to remember; none is written for another relay.
    expect((await readdir(folder)).filter((file) => file.startsWith('relay-cursor') && !file.includes(new URL(relay.url).port))).toEqual([]);
  });
});
