/**
 * The GitHub poller and its source against the simulated REST API on 127.0.0.1: news after a
 * baseline, 304s for quiet repositories, a rate-limit pause the tray can show, and approve and
 * re-run through the actions port the engine gets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEvent } from '../../src/core/event.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ConnectionUpdate } from '../../src/client/engine/engine.js';
import { createGithubPoller } from '../../src/client/sources/github/poller.js';
import { prepareGithubPoller } from '../../src/client/sources/github/source.js';
import { describeRateLimitPause } from '../../src/client/sources/pollingSource.js';
import type { EventSink } from '../../src/client/sources/contract.js';
import { prepareDemoSource } from '../../src/client/sources/demo/source.js';
import { startDemoFeed } from '../../src/sim/demoFeed.js';
import { createGithubApi } from '../../src/providers/github/api/client.js';
import { startGithubSimulator, type GithubSimulator } from '../../src/sim/github/simulator.js';

let sim: GithubSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function recordingSink() {
  const events: NormalisedEvent[] = [];
  const connections: ConnectionUpdate[] = [];
  const sink = {
    handle: (event: NormalisedEvent) => void events.push(event),
    setConnection: (update: ConnectionUpdate) => void connections.push(update),
    beginCatchUp: () => {},
    endCatchUp: () => {},
    trayModel: () => ({ repositories: [] }),
  } as unknown as EventSink;
  return { sink, events, connections };
}

describe('createGithubPoller', () => {
  it('takes the first poll as a baseline, then reports new runs and their changes, with 304s in between', async () => {
    sim = await startGithubSimulator({ scenario: false, autoAdvance: false });
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const events: NormalisedEvent[] = [];
    const poller = createGithubPoller({ api, repositories: ['acme/web', 'acme/api'], intervalMs: 60_000, clock: Date.now, logger: silentLogger, onEvent: (e) => events.push(e) });
    expect(await poller.pollNow()).toEqual({ ok: true, events: [] });
    await poller.pollNow();
    expect(poller.stats().notModified).toBe(2);

    const run = sim.startRun({ repository: 'acme/web', fail: true });
    await poller.pollNow();
    sim.advance(60_000);
    await poller.pollNow();
    expect(events.map((e) => [e.build.id, e.action, e.build.state])).toEqual([
      [String(run.id), 'created', 'queued'],
      [String(run.id), 'updated', 'failed'],
    ]);
    // acme/api stayed quiet: every later listing of it was a 304.
    expect(poller.stats().notModified).toBeGreaterThanOrEqual(4);
  });

  it('without a token polls no faster than 60 requests an hour allow', () => {
    const poller = createGithubPoller({
      api: { authenticated: false, listRuns: async () => { throw new Error('unused'); } },
      repositories: ['a/b', 'c/d'], intervalMs: 15_000, clock: Date.now, logger: silentLogger, onEvent: () => {},
    });
    expect(poller.intervalMs).toBe(120_000);
  });
});

describe('the GitHub source', () => {
  it('says in the tray when polling is paused for the rate limit, and until when', async () => {
    sim = await startGithubSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 3 } });
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const source = prepareGithubPoller({ kind: 'github', api, repositories: ['acme/web', 'acme/api'], intervalMs: 60_000 }, { logger: silentLogger, clock: Date.now });
    const { sink, connections } = recordingSink();
    await source.start(sink);
    // Two listings spent, one left: too few for the next round of two, so it pauses now.
    const paused = connections.find((update) => update.reason?.startsWith('GitHub rate limit'));
    expect(paused).toMatchObject({ connected: false, source: 'GitHub API (2 repositories)' });
    expect(paused!.reason).toMatch(/^GitHub rate limit: paused until \d\d:\d\d$/);
    await source.stop();
  });

  it('formats the pause as a time of day', () => {
    expect(describeRateLimitPause('GitHub', new Date(2026, 0, 1, 14, 5).getTime())).toBe('GitHub rate limit: paused until 14:05');
  });

  it('the GitHub demo gives the engine approve and re-run that reach each run through its repository', async () => {
    const source = prepareDemoSource(await startDemoFeed({ provider: 'github', speed: 50, logger: silentLogger }));
    const { sink, events } = recordingSink();
    await source.start(sink);
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    };
    const waiting = () => events.find((e) => e.kind === 'build' && e.build.state === 'needs_approval');
    const failed = () => events.find((e) => e.kind === 'build' && e.build.state === 'failed');
    await until(() => waiting() !== undefined && failed() !== undefined);
    const [actions] = source.actions;
    const ref = (event: NormalisedEvent) => ({ provider: event.provider, repository: event.repository, id: event.build.id, url: event.build.url });
    await actions!.approve(ref(waiting()!));
    await actions!.rerunFailedTasks(ref(failed()!));
    await until(() => events.some((e) => e.build.id === failed()!.build.id && e.build.previousStatus === 'completed'));
    expect(events.some((e) => e.build.id === waiting()!.build.id && e.build.state === 'queued')).toBe(true);
    await source.stop();
  });
});

