import { afterEach, describe, expect, it } from 'vitest';
import { fixtureJson } from '../../test/support/fixtures.js';
import type { SimEvent, Simulator, SimulatorOptions } from './simulator.js';
import { startSimulator } from './simulator.js';

const START = 1_722_400_000_000;
const running: Simulator[] = [];

async function quietSim(options: SimulatorOptions = {}): Promise<{ sim: Simulator; events: SimEvent[] }> {
  const sim = await startSimulator({ autoAdvance: false, graphql: false, clock: () => START, ...options });
  running.push(sim);
  const events: SimEvent[] = [];
  sim.onEvent((event) => events.push(event));
  return { sim, events };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

describe('the simulated story', () => {
  it('shows the first failing build within 15 seconds of the start', async () => {
    const { sim, events } = await quietSim({ seed: 7 });
    sim.advance(15_000);
    const failed = events.find((e) => e.event.kind === 'build' && e.event.build.status === 'FAILED');
    expect(failed).toBeDefined();
    expect(failed!.event.receivedAt - START).toBeLessThanOrEqual(15_000);
    expect(failed!.event.build.previousStatus).toBe('EXECUTING');
    // A failing task came before it.
    expect(events.some((e) => e.event.task?.status === 'FAILED' && e.event.build.id === failed!.event.build.id)).toBe(true);
  });

  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('fails a build within 15 s whatever the seed (%i)', async (seed) => {
    const { sim, events } = await quietSim({ seed });
    sim.advance(15_000);
    expect(events.some((e) => e.event.kind === 'build' && e.event.build.status === 'FAILED')).toBe(true);
  });

  it('replays the same story for the same seed, another for another seed', async () => {
    const bodies = async (seed: number) => {
      const { sim, events } = await quietSim({ seed });
      sim.advance(120_000);
      return events.map((e) => e.body);
    };
    const first = await bodies(3);
    expect(first.length).toBeGreaterThan(20);
    expect(await bodies(3)).toEqual(first);
    expect(await bodies(4)).not.toEqual(first);
  });

  it('breaks a default branch and later fixes it', async () => {
    const { sim, events } = await quietSim({ seed: 11 });
    sim.advance(90_000);
    const finals = events
      .filter((e) => e.event.kind === 'build' && e.event.build.branch === 'main' && e.event.repository.name === 'web')
      .filter((e) => ['FAILED', 'COMPLETED'].includes(e.event.build.status))
      .map((e) => e.event.build.status);
    expect(finals.slice(0, 2)).toEqual(['FAILED', 'COMPLETED']);
  });

  it('walks builds and tasks through real lifecycles', async () => {
    const { sim, events } = await quietSim({ seed: 5 });
    sim.advance(600_000);
    const taskPaths = new Map<string, string[]>();
    const buildPaths = new Map<string, string[]>();
    for (const { event } of events) {
      const paths = event.task ? taskPaths : buildPaths;
      const id = event.task ? event.task.id : event.build.id;
      const status = event.task ? event.task.status : event.build.status;
      const previous = event.task ? event.task.previousStatus : event.build.previousStatus;
      const path = paths.get(id) ?? [];
      // Every update names the status before it; every thing starts with `created`.
      if (path.length === 0) expect(event.action).toBe('created');
      else expect(previous).toBe(path.at(-1));
      paths.set(id, [...path, status]);
    }
    // Tasks still running at the cut-off stop part-way; a deploy after a failure is skipped unrun.
    const taskLifecycle = /^CREATED(>SCHEDULED(>EXECUTING(>(COMPLETED|FAILED|ABORTED))?)?)?$|^CREATED>SKIPPED$/;
    for (const path of taskPaths.values()) expect(path.join('>')).toMatch(taskLifecycle);
    const seen = new Set([...buildPaths.values()].map((p) => p.join('>')));
    expect(seen).toContain('CREATED>TRIGGERED>EXECUTING>FAILED');
    expect(seen).toContain('CREATED>TRIGGERED>EXECUTING>COMPLETED');
    expect([...seen].some((p) => p.endsWith('NEEDS_APPROVAL'))).toBe(true);
    expect(events.some((e) => e.event.task?.status === 'SKIPPED')).toBe(true);
  });

  // The same against the real captured deliveries: test/conformance/cirrusPayloads.test.ts.
  it('sends the flat wire format of the project\'s fixtures', async () => {
    const { sim, events } = await quietSim();
    sim.advance(15_000);
    const fixture = (name: string) => fixtureJson(`cirrus/${name}.json`) as Record<string, Record<string, unknown>>;
    const buildEvent = JSON.parse(events.find((e) => e.eventType === 'build' && e.body.includes('old_status'))!.body);
    const taskEvent = JSON.parse(events.find((e) => e.eventType === 'task')!.body);
    expect(buildEvent.task).toEqual({});
    for (const key of Object.keys(fixture('build')['repository']!)) expect(buildEvent.repository).toHaveProperty(key);
    for (const key of ['id', 'branch', 'changeIdInRepo', 'changeTimestamp', 'changeMessageTitle', 'status', 'user']) {
      expect(buildEvent.build).toHaveProperty(key);
    }
    for (const key of Object.keys(fixture('task')['task']!)) expect(taskEvent.task).toHaveProperty(key);
    expect(typeof buildEvent.build.id).toBe('number');
    expect(Object.keys(buildEvent).slice(0, 2)).toEqual(['old_status', 'action']);
  });

  it('starts scripted builds and ends its event iterators on stop', async () => {
    const { sim } = await quietSim({ scenario: false });
    const iterator = sim.events();
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 42, needsApproval: true });
    sim.advance(1_000);
    expect(sim.world.build(build.id)?.status).toBe('NEEDS_APPROVAL');
    expect(build.branch).toBe('pull/42');
    const first = await iterator.next();
    expect(first.value?.event.build.id).toBe(build.id);
    await sim.stop();
    await iterator.next(); // the buffered NEEDS_APPROVAL update
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(() => sim.startBuild({ repository: 'acme/nope' })).toThrow(/no repository/);
  });

  it('runs on its own timers at the given speed and stops them', async () => {
    const sim = await startSimulator({ graphql: false, speed: 50, seed: 2 });
    running.push(sim);
    const failed = await new Promise<SimEvent>((resolve) => {
      sim.onEvent((e) => { if (e.event.kind === 'build' && e.event.build.status === 'FAILED') resolve(e); });
    });
    expect(failed.event.repository.name).toBe('web');
  });
});
