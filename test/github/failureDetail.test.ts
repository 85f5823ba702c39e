/**
 * Why a GitHub run failed, through the REST API: the failed job's step from the run's job list
 * and its first failure annotation, against the simulated API over HTTP and against recorded
 * answers; never without a token, never while the poller is paused for the rate limit; and end
 * to end through the engine, whose notification is updated with the annotation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureText } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import type { FailureDetailRequest } from '../../src/core/failureDetailPort.js';
import { silentLogger } from '../../src/core/ports.js';
import { createEngine } from '../../src/client/engine/engine.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createGithubFailureDetail } from '../../src/client/sources/github/failureDetail.js';
import { RateGate } from '../../src/client/sources/rateGate.js';
import type { EventSink } from '../../src/client/sources/contract.js';
import { prepareGithubPoller } from '../../src/client/sources/github/source.js';
import { createGithubApi, type FetchLike } from '../../src/providers/github/api/client.js';
import { startGithubSimulator, type GithubSimulator } from '../../src/sim/github/simulator.js';

let sim: GithubSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const signal = () => new AbortController().signal;

async function failedRun() {
  sim = await startGithubSimulator({ scenario: false, autoAdvance: false });
  const run = sim.startRun({ repository: 'acme/web', fail: true });
  sim.advance(60_000);
  const job = run.jobs.find((candidate) => candidate.conclusion === 'failure')!;
  const request: FailureDetailRequest = {
    provider: 'github', repository: { owner: 'acme', name: 'web' }, buildId: String(run.id),
    buildUrl: `https://github.com/acme/web/actions/runs/${run.id}`, tasks: [],
  };
  return { sim, run, job, request };
}

describe('the GitHub failure detail port against the simulated API', () => {
  it("finds a polled run's failed job, its failed step and its first annotation on a file, in two requests", async () => {
    const { sim, job, request } = await failedRun();
    const port = createGithubFailureDetail(createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
    const before = sim.apiStats().requests;
    const found = await port.fetch(request, signal());
    expect(sim.apiStats().requests - before).toBe(2);
    expect(found).toEqual([{
      taskId: String(job.id),
      taskName: job.name,
      taskUrl: `https://github.com/acme/web/actions/runs/${request.buildId}/job/${job.id}`,
      detail: { step: expect.stringMatching(/^Run /), reason: null, logTail: [], annotation: { message: expect.any(String), path: expect.stringMatching(/^src\//), line: expect.any(Number) } },
    }]);
  });

  it('asks only for the annotation when the webhook already named the step', async () => {
    const { sim, job, request } = await failedRun();
    const port = createGithubFailureDetail(createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
    const known = { step: 'Run npm test', reason: null, logTail: [], annotation: null };
    const before = sim.apiStats().requests;
    const found = await port.fetch({ ...request, tasks: [{ id: String(job.id), name: job.name, url: 'https://github.com/acme/web/actions/runs/1/job/2', known }] }, signal());
    expect(sim.apiStats().requests - before).toBe(1);
    expect(found[0]!.detail).toMatchObject({ step: 'Run npm test', annotation: { path: expect.any(String) } });
  });

  it('asks nothing without a token: the 60 requests an hour are the poller’s', async () => {
    const { sim, request } = await failedRun();
    const port = createGithubFailureDetail(createGithubApi({ baseUrl: sim.apiUrl! }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
    const before = sim.apiStats().requests;
    expect(await port.fetch(request, signal())).toEqual([]);
    expect(sim.apiStats().requests).toBe(before);
  });

  it('answers only for runs on its own host', () => {
    const port = createGithubFailureDetail(createGithubApi({ token: 't' }), { webHost: 'github.com', gate: new RateGate(Date.now, 0) });
    expect(port.supports({ provider: 'github', buildUrl: 'https://github.com/a/b/actions/runs/1' })).toBe(true);
    expect(port.supports({ provider: 'github', buildUrl: 'https://ghe.example.com/a/b/actions/runs/1' })).toBe(false);
    expect(port.supports({ provider: 'cirrus', buildUrl: 'https://github.com/a/b/actions/runs/1' })).toBe(false);
  });
});

describe('the rate limit the poller respects', () => {
  it('makes no detail request while the poller is paused for the limit', async () => {
    sim = await startGithubSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 3 } });
    const run = sim.startRun({ repository: 'acme/web', fail: true });
    sim.advance(60_000);
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const source = prepareGithubPoller({ kind: 'github', api, repositories: ['acme/web', 'acme/api'], intervalMs: 60_000 }, { logger: silentLogger, clock: Date.now });
    const sink = { handle: () => {}, setConnection: () => {}, beginCatchUp: () => {}, endCatchUp: () => {}, trayModel: () => ({ repositories: [] }) } as unknown as EventSink;
    await source.start(sink);
    // Two listings spent, one left: too few for another round, so the poller paused.
    const requests = sim.apiStats().requests;
    const found = await source.failureDetail!.fetch(
      { provider: 'github', repository: { owner: 'acme', name: 'web' }, buildId: String(run.id), buildUrl: `https://github.com/acme/web/actions/runs/${run.id}`, tasks: [] },
      signal(),
    );
    expect(found).toEqual([]);
    expect(sim.apiStats().requests).toBe(requests);
    await source.stop();
  });

  it('pauses the gate (and so the poller) when GitHub says the limit is reached', async () => {
    const { sim, request } = await failedRun();
    const gate = new RateGate(Date.now, 0);
    const limited: FetchLike = async () =>
      new Response(JSON.stringify({ message: 'API rate limit exceeded' }), { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 600) } });
    const port = createGithubFailureDetail(createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token', fetch: limited }), { webHost: undefined, gate });
    await expect(port.fetch(request, signal())).rejects.toThrow(/rate limit/);
    expect(gate.pausedUntil()).toBeGreaterThan(Date.now() + 500_000);
    expect(gate.allows(1)).toBe(false);
  });
});

describe('recorded GitHub answers', () => {
  it('keep the failed step when the token may not read annotations', async () => {
    const fetch: FetchLike = async (url) =>
      url.includes('/annotations')
        ? new Response(JSON.stringify({ message: 'Resource not accessible by personal access token' }), { status: 403 })
        : new Response(fixtureText('github/api/run-jobs.failure.json'), { status: 200 });
    const port = createGithubFailureDetail(createGithubApi({ token: 't', fetch }), { webHost: 'github.com', gate: new RateGate(Date.now, 0) });
    const found = await port.fetch(
      { provider: 'github', repository: { owner: 'acme', name: 'widgets' }, buildId: '11932840772', buildUrl: 'https://github.com/acme/widgets/actions/runs/11932840772', tasks: [] },
      signal(),
    );
    expect(found.map((failure) => [failure.taskName, failure.detail.step, failure.detail.annotation])).toEqual([['test (node 20)', 'Run npm test -- --reporter=github-actions', null]]);
  });

  it('make the failed job, its step and the first failure annotation on a file (not the runner’s exit code)', async () => {
    const urls: string[] = [];
    const fetch: FetchLike = async (url) => {
      urls.push(url);
      const body = url.includes('/annotations') ? fixtureText('github/api/check-run-annotations.failure.json') : fixtureText('github/api/run-jobs.failure.json');
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '4990', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3000) } });
    };
    const port = createGithubFailureDetail(createGithubApi({ token: 't', fetch }), { webHost: 'github.com', gate: new RateGate(Date.now, 0) });
    const found = await port.fetch(
      { provider: 'github', repository: { owner: 'acme', name: 'widgets' }, buildId: '11932840772', buildUrl: 'https://github.com/acme/widgets/actions/runs/11932840772', tasks: [] },
      signal(),
    );
    expect(urls).toEqual([
      'https://api.github.com/repos/acme/widgets/actions/runs/11932840772/jobs?filter=latest&per_page=100',
      'https://api.github.com/repos/acme/widgets/check-runs/31207744187/annotations?per_page=50',
    ]);
    expect(found).toEqual([{
      taskId: '31207744187',
      taskName: 'test (node 20)',
      taskUrl: 'https://github.com/acme/widgets/actions/runs/11932840772/job/31207744187',
      detail: {
        step: 'Run npm test -- --reporter=github-actions',
        reason: null,
        logTail: [],
        annotation: { message: "AssertionError: expected 'v2' to be 'v3' // Object.is equality\n\n- Expected\n+ Received\n\n- v3\n+ v2", path: 'src/manifest.test.ts', line: 42 },
      },
    }]);
  });
});

describe('a failed GitHub run through the engine, explained by the simulated API', () => {
  it('names the failed step at once (from the job webhook) and adds the annotation when it arrives', async () => {
    sim = await startGithubSimulator({ scenario: false, autoAdvance: false });
    const notifier = new RecordingNotifier();
    const engine = createEngine({
      settings: settingsSchema.parse({}),
      clock: Date.now,
      notifier,
      opener: async () => {},
      logger: silentLogger,
      localMinutesOfDay: () => 12 * 60,
      failureDetail: createGithubFailureDetail(createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' }), { webHost: undefined, gate: new RateGate(Date.now, 0) }),
    });
    sim.onEvent(({ event }) => engine.handle(event));
    const run = sim.startRun({ repository: 'acme/web', fail: true });
    sim.advance(60_000);
    const key = `build:github:${run.id}`;
    const first = notifier.shown.find((intent) => intent.key === key)!;
    expect(first.body).toMatch(/: step “Run [^”]+” failed/);
    await expect.poll(() => notifier.onScreen.get(key)!.body, { timeout: 5_000 }).toMatch(/\nsrc\/[\w./]+:\d+: /);
    engine.close();
  });
});
