/**
 * The poller against the simulator's real GraphQL endpoint over HTTP: baseline, changes between
 * polls, one request per poll for 20 repositories, backoff on a server error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEvent } from '../../src/core/event.js';
import { normalisedEventSchema } from '../../src/core/event.js';
import { silentLogger } from '../../src/core/ports.js';
import { createCirrusApi } from '../../src/providers/cirrus/api/client.js';
import { countingFetch } from '../../src/providers/cirrus/api/countingFetch.js';
import { createCirrusPoller } from '../../src/client/sources/cirrus/poller.js';
import type { Simulator } from '../../src/sim/simulator.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { manualTimers } from './manualTimers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function setUp(options: { repositories?: { owner: string; name: string; isPrivate?: boolean }[]; token?: string } = {}) {
  sim = await startSimulator({ autoAdvance: false, seed: 13, ...(options.repositories ? { repositories: options.repositories } : {}) });
  const counter = countingFetch();
  const api = createCirrusApi({ endpoint: sim.graphqlUrl!, fetch: counter.fetch, ...(options.token ? { token: options.token } : {}) });
  const events: NormalisedEvent[] = [];
  const time = manualTimers();
  const errors: Error[] = [];
  const watched = (options.repositories ?? [{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'api' }, { owner: 'acme', name: 'mobile' }])
    .map((r) => `${r.owner}/${r.name}`);
  const poller = createCirrusPoller({
    api, repositories: watched, clock: () => sim!.now(), timers: time.timers, logger: silentLogger,
    random: () => 0.5, onEvent: (e) => events.push(e), onError: (e) => errors.push(e),
  });
  return { sim, poller, events, counter, time, errors };
}

describe('the Cirrus poller against the simulator', () => {
  it('takes the first poll as a baseline and reports what changed after it', async () => {
    const { sim, poller, events } = await setUp({ token: 'sim-read-token' });
    expect(await poller.pollNow()).toEqual({ ok: true, events: [] });
    expect(events).toEqual([]);
    // The baseline is still there for the tray: 3 finished builds in each of 3 repositories.
    expect(poller.recentBuilds()).toHaveLength(9);

    sim.advance(4_000); // the opening build on acme/web is running
    await poller.pollNow();
    const created = events.find((e) => e.kind === 'build' && e.action === 'created');
    expect(created?.repository).toMatchObject({ owner: 'acme', name: 'web' });
    const buildId = created!.build.id;

    events.length = 0;
    sim.advance(11_000); // ...and has failed
    await poller.pollNow();
    for (const event of events) expect(normalisedEventSchema.parse(event)).toEqual(event);
    const failed = events.find((e) => e.kind === 'build' && e.build.id === buildId);
    expect(failed).toMatchObject({
      provider: 'cirrus', action: 'updated',
      id: expect.stringMatching(new RegExp(`^poll:${buildId}:FAILED`)),
      build: { status: 'FAILED', previousStatus: 'EXECUTING', state: 'failed', url: `https://cirrus-ci.com/build/${buildId}` },
    });
    const failedTask = events.find((e) => e.task?.status === 'FAILED');
    expect(failedTask?.task).toMatchObject({ previousStatus: 'EXECUTING', state: 'failed' });
    expect(failedTask?.id).toBe(`poll:${failedTask?.task?.id}:FAILED`);
    // Tasks before their build's update, as webhooks arrive.
    expect(events.indexOf(failedTask!)).toBeLessThan(events.indexOf(failed!));

    events.length = 0;
    await poller.pollNow(); // nothing happened since
    expect(events).toEqual([]);
  });

  it('polls 20 repositories with exactly one HTTP request per poll', async () => {
    const repositories = Array.from({ length: 20 }, (_, i) => ({ owner: 'acme', name: `service-${i}` }));
    const { sim, poller, counter } = await setUp({ repositories });
    for (let poll = 1; poll <= 3; poll += 1) {
      const result = await poller.pollNow();
      expect(result.ok).toBe(true);
      expect(counter.count()).toBe(poll);
      expect(sim.graphqlRequestCount()).toBe(poll);
      sim.advance(30_000);
    }
    expect(poller.stats().polls).toBe(3);
    // 3 old builds each, plus what the opening scene started meanwhile.
    expect(poller.recentBuilds().length).toBeGreaterThanOrEqual(60);
  });

  it('backs off exponentially with jitter after server errors, and recovers', async () => {
    const { sim, poller, time, errors } = await setUp();
    sim.failNextGraphqlRequests(2, 503);
    poller.start();
    await waitFor(() => time.pending().length === 1);
    // random 0.5: half the ceiling fixed plus a quarter: 2 × 60 s → 90 s.
    expect(time.pending()[0]?.ms).toBe(90_000);
    expect(errors[0]?.message).toContain('HTTP 503');
    time.fire(time.pending()[0]!);
    await waitFor(() => time.pending().length === 1);
    expect(time.pending()[0]?.ms).toBe(180_000);
    time.fire(time.pending()[0]!);
    await waitFor(() => time.pending().length === 1);
    expect(poller.stats()).toMatchObject({ failures: 2, consecutiveFailures: 0, nextDelayMs: 60_000 });
    poller.stop();
    expect(time.pending()).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
