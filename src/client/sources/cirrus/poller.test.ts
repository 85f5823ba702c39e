import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/ports.js';
import type { PolledRepository } from '../../../providers/cirrus/api/client.js';
import type { ApiBuild } from '../../../providers/cirrus/api/responses.js';
import { createCirrusPoller, delayAfter, MAX_POLL_BACKOFF_MS } from './poller.js';

const repository = { id: '1', owner: 'acme', name: 'web', isPrivate: false };
const build = (id: string, status: ApiBuild['status'], tasks: ApiBuild['tasks'] = []): ApiBuild => ({
  id, status, branch: 'main', changeIdInRepo: 'abc', changeMessageTitle: 'Fix', changeTimestamp: 1, buildCreatedTimestamp: 2, tasks,
});

/** An API whose answers a test sets poll by poll. */
function fakeApi() {
  const state = { builds: [] as ApiBuild[], calls: 0, fail: false, release: undefined as (() => void) | undefined, hold: false };
  return {
    state,
    api: {
      async pollRepositories(): Promise<PolledRepository[]> {
        state.calls += 1;
        if (state.hold) await new Promise<void>((resolve) => (state.release = resolve));
        if (state.fail) throw new Error('down');
        return [{ owner: 'acme', name: 'web', repository, builds: state.builds.map((b) => structuredClone(b)) }];
      },
    },
  };
}

const noTimers = { setTimeout: () => 0, clearTimeout: () => {} };
const base = { clock: () => 1_000, timers: noTimers, logger: silentLogger, onEvent: () => {} };

describe('createCirrusPoller', () => {
  it('raises an interval below 15 s to 15 s and says so', () => {
    const warnings: string[] = [];
    const poller = createCirrusPoller({
      ...base, api: fakeApi().api, repositories: ['acme/web'], intervalMs: 1_000,
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    expect(poller.intervalMs).toBe(15_000);
    expect(warnings[0]).toMatch(/below the 15 s minimum/);
    expect(createCirrusPoller({ ...base, api: fakeApi().api, repositories: [] }).intervalMs).toBe(60_000);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => createCirrusPoller({ ...base, api: fakeApi().api, repositories: ['acme'] })).toThrow(/owner\/name/);
  });

  it('emits new tasks, status changes and new builds after the baseline', async () => {
    const { api, state } = fakeApi();
    const events: string[] = [];
    const poller = createCirrusPoller({ ...base, api, repositories: ['acme/web'], onEvent: (e) => events.push(`${e.kind}:${e.action}:${e.task?.status ?? e.build.status}:${e.task?.previousStatus ?? e.build.previousStatus}`) });
    state.builds = [build('10', 'COMPLETED')];
    await poller.pollNow();
    expect(events).toEqual([]);
    state.builds = [build('10', 'COMPLETED'), build('11', 'EXECUTING', [{ id: '20', name: 'test', status: 'EXECUTING' }])];
    await poller.pollNow();
    expect(events).toEqual(['build:created:EXECUTING:null', 'task:created:EXECUTING:null']);
    events.length = 0;
    state.builds = [build('10', 'COMPLETED'), build('11', 'FAILED', [{ id: '20', name: 'test', status: 'FAILED' }])];
    await poller.pollNow();
    expect(events).toEqual(['task:updated:FAILED:EXECUTING', 'build:updated:FAILED:EXECUTING']);
    expect(poller.recentBuilds().map((b) => b.build.id)).toEqual(['10', '11']);
  });

  it('shares a poll in flight instead of sending a second request', async () => {
    const { api, state } = fakeApi();
    const poller = createCirrusPoller({ ...base, api, repositories: ['acme/web'] });
    state.hold = true;
    const first = poller.pollNow();
    const second = poller.pollNow();
    await new Promise((resolve) => setImmediate(resolve));
    state.release?.();
    expect(await first).toBe(await second);
    expect(state.calls).toBe(1);
  });

  it('reports failures to onError and keeps going', async () => {
    const { api, state } = fakeApi();
    const errors: string[] = [];
    const poller = createCirrusPoller({ ...base, api, repositories: ['acme/web'], onError: (e) => errors.push(e.message) });
    state.fail = true;
    expect((await poller.pollNow()).ok).toBe(false);
    expect(errors).toEqual(['down']);
    state.fail = false;
    expect((await poller.pollNow()).ok).toBe(true);
    expect(poller.stats()).toMatchObject({ polls: 2, failures: 1, consecutiveFailures: 0 });
  });
});

describe('delayAfter', () => {
  it('is the interval while all is well, and grows with jitter after failures', () => {
    expect(delayAfter(0, 60_000, () => 0.99)).toBe(60_000);
    expect(delayAfter(1, 60_000, () => 0)).toBe(60_000);
    expect(delayAfter(1, 60_000, () => 0.999)).toBeCloseTo(119_940, -2);
    expect(delayAfter(3, 60_000, () => 0.5)).toBe(360_000);
    expect(delayAfter(30, 60_000, () => 0.999)).toBeLessThanOrEqual(MAX_POLL_BACKOFF_MS);
    expect(delayAfter(30, 60_000, () => 0)).toBe(MAX_POLL_BACKOFF_MS / 2);
  });
});
