/**
 * Why a Cirrus build failed, through the GraphQL API: against the simulator's endpoint over HTTP
 * (the query validated by graphql-js against the project's SDL), against a recorded answer, and
 * end to end through the engine, whose notification is updated with the failed command and the
 * last lines of its log. A slow API: the notification is out at once and is updated only within
 * the time bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureText } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { silentLogger } from '../../src/core/ports.js';
import { createEngine } from '../../src/client/engine/engine.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createCirrusFailureDetail } from '../../src/client/sources/cirrus/failureDetail.js';
import { createCirrusApi, type FetchLike } from '../../src/providers/cirrus/api/client.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const signal = () => new AbortController().signal;

async function failedBuild() {
  sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 5 });
  const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
  sim.advance(60_000);
  const failed = sim.world.tasksOf(build).find((task) => task.status === 'FAILED')!;
  return { sim, build, failed };
}

describe('the Cirrus failure detail port', () => {
  it("reads each failed task's first failed command and its log's last lines from the simulator", async () => {
    const { sim, build, failed } = await failedBuild();
    const port = createCirrusFailureDetail(createCirrusApi({ endpoint: sim.graphqlUrl! }));
    const request = { provider: 'cirrus' as const, repository: { owner: 'acme', name: 'web' }, buildId: build.id, buildUrl: `https://cirrus-ci.com/build/${build.id}` };
    const byTask = await port.fetch({ ...request, tasks: [{ id: failed.id, name: failed.name, url: `https://cirrus-ci.com/task/${failed.id}`, known: null }] }, signal());
    expect(byTask).toHaveLength(1);
    expect(byTask[0]).toMatchObject({ taskId: failed.id, taskName: failed.name, taskUrl: `https://cirrus-ci.com/task/${failed.id}`, detail: { step: expect.any(String), reason: null, annotation: null } });
    expect(byTask[0]!.detail.logTail.length).toBeGreaterThan(1);
    // Without the tasks (their webhooks are late), the build's own list answers the same.
    expect(await port.fetch({ ...request, tasks: [] }, signal())).toEqual(byTask);
  });

  it('finds nothing about a private repository without a token', async () => {
    sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 5 });
    const build = sim.startBuild({ repository: 'acme/mobile', outcome: 'fail' });
    sim.advance(60_000);
    const failed = sim.world.tasksOf(build).find((task) => task.status === 'FAILED')!;
    const port = createCirrusFailureDetail(createCirrusApi({ endpoint: sim.graphqlUrl! }));
    const tasks = [{ id: failed.id, name: failed.name, url: `https://cirrus-ci.com/task/${failed.id}`, known: null }];
    expect(await port.fetch({ provider: 'cirrus', repository: { owner: 'acme', name: 'mobile' }, buildId: build.id, buildUrl: 'https://cirrus-ci.com/build/1', tasks }, signal())).toEqual([]);
    const withToken = createCirrusFailureDetail(createCirrusApi({ endpoint: sim.graphqlUrl!, token: 'sim-read-token' }));
    expect(await withToken.fetch({ provider: 'cirrus', repository: { owner: 'acme', name: 'mobile' }, buildId: build.id, buildUrl: 'https://cirrus-ci.com/build/1', tasks }, signal())).toHaveLength(1);
  });

  it('makes a recorded answer into bounded detail, with tasks that did not fail or were not found left out', async () => {
    const bodies: string[] = [];
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(String(init.body));
      return new Response(fixtureText('cirrus/api/failed-commands.json'), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const port = createCirrusFailureDetail(createCirrusApi({ fetch }));
    const tasks = ['5961187365289984', '6524137318711296', '1'].map((id) => ({ id, name: id, url: `https://cirrus-ci.com/task/${id}`, known: null }));
    const found = await port.fetch({ provider: 'cirrus', repository: { owner: 'acme', name: 'web' }, buildId: '1', buildUrl: 'https://cirrus-ci.com/build/1', tasks }, signal());
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!).variables).toEqual({ t0: '5961187365289984', t1: '6524137318711296', t2: '1' });
    expect(found).toEqual([{
      taskId: '5961187365289984',
      taskName: 'Unit tests (node 20)',
      taskUrl: 'https://cirrus-ci.com/task/5961187365289984',
      detail: {
        step: 'test',
        reason: null,
        annotation: null,
        // Kept raw (cleaned where shown), trailing empty lines dropped.
        logTail: [
          '> web@1.4.0 test', '> vitest run', '',
          '\u001b[31m FAIL \u001b[39m src/pagination.test.ts > pagination > returns the last page',
          'AssertionError: expected 4 to be 5 // Object.is equality',
          ' ❯ src/pagination.test.ts:31:24',
          '\u001b[31m Test Files  1 failed\u001b[39m | 12 passed (13)',
          '      Tests  \u001b[31m1 failed\u001b[39m | 83 passed (84)',
        ],
      },
    }]);
  });
});

describe('a failed Cirrus build through the engine, explained by the simulator', () => {
  async function engineOn(sim: Simulator, options: { delayMs?: number; timeoutMs?: number } = {}) {
    const slow: FetchLike = async (url, init) => {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      return fetch(url, init);
    };
    const notifier = new RecordingNotifier();
    const engine = createEngine({
      settings: settingsSchema.parse({}),
      clock: Date.now,
      notifier,
      opener: async () => {},
      logger: silentLogger,
      localMinutesOfDay: () => 12 * 60,
      failureDetail: createCirrusFailureDetail(createCirrusApi({ endpoint: sim.graphqlUrl!, fetch: slow })),
      ...(options.timeoutMs === undefined ? {} : { failureDetailTimeoutMs: options.timeoutMs }),
    });
    sim.onEvent(({ event }) => engine.handle(event));
    return { notifier, engine };
  }

  it('notifies at once, then updates the notification with the failed command and the last log lines', async () => {
    sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 5 });
    const { notifier, engine } = await engineOn(sim, { delayMs: 150 });
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
    sim.advance(60_000);
    const key = `build:cirrus:${build.id}`;
    // Out at once, before any answer: the failed task named, nothing more yet.
    expect(notifier.shown.filter((intent) => intent.key === key)).toHaveLength(1);
    expect(notifier.onScreen.get(key)!.body).not.toMatch(/command/);
    await expect.poll(() => notifier.onScreen.get(key)!.body, { timeout: 5_000 }).toMatch(/: command “\w+” failed\n> /);
    const body = notifier.onScreen.get(key)!.body;
    expect(body.includes('\u001b')).toBe(false);
    expect(body.split('\n').filter((line) => line.startsWith('> ')).length).toBeGreaterThanOrEqual(1);
    expect(engine.trayModel().recentBuilds.find((b) => b.key === `cirrus:${build.id}`)?.failureDetail?.[0]).toMatch(/command/);
    engine.close();
  });

  it('keeps the notification as it is when the API answers after the time bound', async () => {
    sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 5 });
    const { notifier, engine } = await engineOn(sim, { delayMs: 600, timeoutMs: 100 });
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
    sim.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const shown = notifier.shown.filter((intent) => intent.key === `build:cirrus:${build.id}`);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const intent of shown) expect(intent.body).not.toMatch(/command/);
    engine.close();
  });
});
