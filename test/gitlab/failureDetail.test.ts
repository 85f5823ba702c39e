/**
 * Why a GitLab job failed, through the REST API (issue #17): GitLab's reason and the last lines of
 * the job's log, read from its end only. Against the simulated API over HTTP (whose logs run to a
 * megabyte, sent whole as GitLab sends them), against real servers on 127.0.0.1 that honour Range,
 * send many megabytes or drip, refuse, or limit; never while the poller is paused for the rate
 * limit; through the poller, the relay and the demo sources; and end to end through the engine,
 * whose notification is updated with the log's last lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import type { EventSink } from '../../src/client/sources/contract.js';
import { createGitlabFailureDetail } from '../../src/client/sources/gitlab/failureDetail.js';
import { createGitlabPoller } from '../../src/client/sources/gitlab/poller.js';
import { prepareGitlabDemo, prepareGitlabPoller } from '../../src/client/sources/gitlab/source.js';
import { RateGate } from '../../src/client/sources/rateGate.js';
import { prepareRelaySource } from '../../src/client/sources/relay/source.js';
import type { FailureDetailRequest } from '../../src/core/failureDetailPort.js';
import { silentLogger } from '../../src/core/ports.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator, type GitlabSimulator } from '../../src/sim/gitlab/simulator.js';
import type { SimGitlabJob } from '../../src/sim/gitlab/world.js';
import { fixtureText } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { countingFetch, gitlabApiServers } from '../support/gitlabApiServer.js';

let sim: GitlabSimulator | undefined;
const servers = gitlabApiServers();
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await servers.close();
});
const serve = servers.serve;

const signal = () => new AbortController().signal;
const gate = () => new RateGate(Date.now, 0);
const MiB = 1024 * 1024;

/** A failed pipeline of the simulator, and the request the engine would make about it. */
async function failedPipeline(project = 'acme/web') {
  sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
  const pipeline = sim.startPipeline({ project, fail: true });
  sim.advance(120_000);
  const job = pipeline.jobs.find((candidate) => candidate.status === 'failed')!;
  const [owner, name] = [project.slice(0, project.lastIndexOf('/')), project.slice(project.lastIndexOf('/') + 1)];
  const request: FailureDetailRequest = { provider: 'gitlab', repository: { owner, name }, buildId: String(pipeline.id), buildUrl: `https://gitlab.com/${project}/-/pipelines/${pipeline.id}`, tasks: [] };
  return { sim, pipeline, job, request };
}

function knownTask(job: SimGitlabJob, project = 'acme/web') {
  return { id: String(job.id), name: job.name, url: `https://gitlab.com/${project}/-/jobs/${job.id}`, known: { step: null, reason: job.failureReason, logTail: [], annotation: null } };
}

/** The lines a failed job's log ends with, whatever the seed made it fail of. */
const verdict = (job: SimGitlabJob) => ['Cleaning up project directory and file based variables', job.failureReason === 'runner_system_failure' ? expect.stringMatching(/^ERROR: Job failed \(system failure\)/) : 'ERROR: Job failed: exit code 1'];


/** A real HTTP server on 127.0.0.1 answering every request with `handle`; its base URL. */

const request = (jobId = '8120400055'): FailureDetailRequest => ({
  provider: 'gitlab', repository: { owner: 'acme', name: 'web' }, buildId: '1544210001', buildUrl: 'https://gitlab.com/acme/web/-/pipelines/1544210001',
  tasks: [{ id: jobId, name: 'unit tests', url: `https://gitlab.com/acme/web/-/jobs/${jobId}`, known: { step: null, reason: 'script_failure', logTail: [], annotation: null } }],
});

describe('the GitLab failure detail port against the simulated API', () => {
  it("finds a polled pipeline's failed job, its reason and its log's last lines as the page shows them, in two requests", async () => {
    const { sim, job, request } = await failedPipeline();
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' }), { webHost: undefined, gate: gate() });
    const before = sim.apiStats();
    const found = await port.fetch(request, signal());
    expect(sim.apiStats().requests - before.requests).toBe(2);
    expect(sim.apiStats().traceReads - before.traceReads).toBe(1);
    expect(found).toEqual([{ taskId: String(job.id), taskName: job.name, taskUrl: `https://gitlab.com/acme/web/-/jobs/${job.id}`, detail: { step: null, reason: job.failureReason, logTail: expect.any(Array), annotation: null } }]);
    const tail = found[0]!.detail.logTail;
    expect(tail.length).toBeGreaterThanOrEqual(2);
    expect(tail.length).toBeLessThanOrEqual(10);
    expect(tail.slice(-2)).toEqual(verdict(job));
    for (const line of tail) expect(line).not.toMatch(/section_(start|end)|[\r\n]|\[0;?m/);
    expect(tail.join('')).not.toContain('\u001b');
  });

  it('asks only for the log when the engine knows the job, and keeps only the end of a megabyte log', async () => {
    const { sim, request } = await failedPipeline();
    // The longest log: a test job that ran to the end (~1 MB).
    const passing = sim.startPipeline({ project: 'acme/web', fail: false });
    sim.advance(120_000);
    const job = passing.jobs.find((candidate) => candidate.name === 'unit tests')!;
    const { fetch, read } = countingFetch();
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token', fetch }), { webHost: undefined, gate: gate() });
    const before = sim.apiStats().requests;
    const found = await port.fetch({ ...request, tasks: [knownTask(job)] }, signal());
    expect(sim.apiStats().requests - before).toBe(1);
    // GitLab (and so the simulator) sends the whole log whatever the Range: it was read through, and only its end kept.
    expect(read()).toBeGreaterThan(500_000);
    expect(found[0]!.detail.logTail).toHaveLength(10);
    expect(found[0]!.detail.logTail.slice(-2)).toEqual(['Cleaning up project directory and file based variables', 'Job succeeded']);
  });

  it("404: a private project's log without a token is no log, and GitLab's reason is still told", async () => {
    const { sim, job } = await failedPipeline('acme/mobile');
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl: sim.apiUrl! }), { webHost: undefined, gate: gate() });
    const before = sim.apiStats().traceReads;
    const found = await port.fetch({ ...request(), repository: { owner: 'acme', name: 'mobile' }, tasks: [knownTask(job, 'acme/mobile')] }, signal());
    expect(found).toEqual([expect.objectContaining({ taskId: String(job.id), detail: { step: null, reason: job.failureReason, logTail: [], annotation: null } })]);
    expect(sim.apiStats().traceReads).toBe(before);
  });

  it('answers only for pipelines on its own host', () => {
    const port = createGitlabFailureDetail(createGitlabApi({ token: 't' }), { webHost: 'gitlab.com', gate: gate() });
    expect(port.supports({ provider: 'gitlab', buildUrl: 'https://gitlab.com/a/b/-/pipelines/1' })).toBe(true);
    expect(port.supports({ provider: 'gitlab', buildUrl: 'https://git.example.com/a/b/-/pipelines/1' })).toBe(false);
    expect(port.supports({ provider: 'github', buildUrl: 'https://gitlab.com/a/b/-/pipelines/1' })).toBe(false);
  });
});

describe('reading a log from its end only', () => {
  const logOf = (bytes: number) => {
    const ending = '\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m\n';
    const filler = Buffer.alloc(bytes - ending.length, 'progress line\n');
    filler[filler.length - 1] = 0x0a;
    return Buffer.concat([filler, Buffer.from(ending)]);
  };

  it('where the server honours Range, asks for and gets only the last bytes of a 20 MB log', async () => {
    const log = logOf(20 * MiB);
    let sent = 0;
    const baseUrl = await serve((req, res) => {
      const asked = /^bytes=-(\d+)$/.exec(req.headers.range ?? '');
      const from = asked ? Math.max(0, log.length - Number(asked[1])) : 0;
      const body = log.subarray(from);
      sent += body.length;
      res.writeHead(asked ? 206 : 200, { 'content-type': 'text/plain', ...(asked ? { 'content-range': `bytes ${from}-${log.length - 1}/${log.length}` } : {}) });
      res.end(body);
    });
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: gate() });
    const found = await port.fetch(request(), signal());
    expect(sent).toBe(32 * 1024);
    expect(found[0]!.detail.logTail.at(-1)).toBe('ERROR: Job failed: exit code 1');
    expect(found[0]!.detail.logTail).toHaveLength(10);
  });

  it('where the server sends the whole of a 20 MB log, stops reading at the cap and closes the connection; the reason stays', async () => {
    let finished = false;
    let closedEarly = false;
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let left = 20 * MiB;
      const chunk = Buffer.alloc(64 * 1024, 'x\n');
      const more = () => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        finished = true;
        res.end();
      };
      res.on('close', () => (closedEarly = !finished));
      more();
    });
    const { fetch, read } = countingFetch();
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't', fetch }), { webHost: undefined, gate: gate(), trace: { maxBytes: 2 * MiB } });
    const found = await port.fetch(request(), signal());
    expect(found[0]!.detail).toEqual({ step: null, reason: 'script_failure', logTail: [], annotation: null });
    // At most the cap, and one chunk more (the one that crossed it).
    expect(read()).toBeLessThanOrEqual(2 * MiB + 64 * 1024);
    await expect.poll(() => closedEarly, { timeout: 5_000 }).toBe(true);
    expect(finished).toBe(false);
  });

  it('gives up a log that drips after its time bound, closing the connection; the reason is told in time', async () => {
    let closed = false;
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('.'), 20);
      res.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
    });
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: gate(), trace: { timeoutMs: 300 } });
    const started = Date.now();
    const found = await port.fetch(request(), signal());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(found[0]!.detail).toEqual({ step: null, reason: 'script_failure', logTail: [], annotation: null });
    await expect.poll(() => closed, { timeout: 2_000 }).toBe(true);
  });

  it('the engine’s own abort (its time bound) ends the read too', async () => {
    const baseUrl = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).flushHeaders());
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: gate() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('no answer within 200 ms')), 200);
    const started = Date.now();
    await port.fetch(request(), controller.signal);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('403 (a token whose role may not read logs) is no log, and the reason is told', async () => {
    const baseUrl = await serve((_req, res) => void res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"403 Forbidden"}'));
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: gate() });
    expect(await port.fetch(request(), signal())).toEqual([expect.objectContaining({ detail: { step: null, reason: 'script_failure', logTail: [], annotation: null } })]);
  });

  it('a recorded answer becomes the last ten lines its page shows', async () => {
    const baseUrl = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(fixtureText('gitlab/api/job-trace.failed.log')));
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: gate() });
    const [found] = await port.fetch(request(), signal());
    expect(found!.detail.logTail).toHaveLength(10);
    expect(found!.detail.logTail.slice(-3)).toEqual(['      Tests  1 failed | 19 passed (20)', 'Cleaning up project directory and file based variables', 'ERROR: Job failed: exit code 1']);
  });
});

describe('the rate limit the poller respects', () => {
  it('reads no log while the poller is paused for the limit (the reason is still told)', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 3 } });
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: true });
    sim.advance(120_000);
    const job = pipeline.jobs.find((candidate) => candidate.status === 'failed')!;
    const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const source = prepareGitlabPoller({ kind: 'gitlab', api, repositories: ['acme/web', 'acme/platform/api'], intervalMs: 60_000 }, { logger: silentLogger, clock: Date.now });
    const sink = { handle: () => {}, setConnection: () => {}, beginCatchUp: () => {}, endCatchUp: () => {}, trayModel: () => ({ repositories: [] }) } as unknown as EventSink;
    await source.start(sink);
    const requests = sim.apiStats().requests;
    const found = await source.failureDetail!.fetch({ ...request(), buildId: String(pipeline.id), tasks: [knownTask(job)] }, signal());
    expect(found.map((failure) => failure.detail)).toEqual([{ step: null, reason: job.failureReason, logTail: [], annotation: null }]);
    expect(sim.apiStats().requests).toBe(requests);
    await source.stop();
  });

  it("GitLab's 429 on a log pauses the gate, and so the poller, until Retry-After", async () => {
    const { job } = await failedPipeline();
    await sim!.stop();
    // A fresh simulator whose budget the test spends first: the log's request is the one over it.
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 1 } });
    const limited = sim;
    const api = createGitlabApi({ baseUrl: limited.apiUrl!, token: 'sim-read-token' });
    await api.getProject('acme/web');
    const shared = gate();
    const port = createGitlabFailureDetail(api, { webHost: undefined, gate: shared });
    const found = await port.fetch({ ...request(), tasks: [knownTask(job)] }, signal());
    expect(found[0]!.detail.logTail).toEqual([]);
    expect(shared.pausedUntil()).toBeGreaterThan(Date.now() + 1_000);
    const poller = createGitlabPoller({ api, repositories: ['acme/web'], intervalMs: 60_000, clock: Date.now, logger: silentLogger, gate: shared, onEvent: () => {} });
    const requests = limited.apiStats().requests;
    await poller.pollNow();
    expect(poller.stats().pausedUntil).toBe(shared.pausedUntil());
    expect(limited.apiStats().requests).toBe(requests);
  });
});

describe('the sources that offer it', () => {
  it('a relay user with a GitLab token gets it for gitlab.com pipelines', () => {
    const cursor = { load: async () => undefined, save: async () => {} };
    const source = prepareRelaySource({ kind: 'relay', url: 'wss://relay.example.com', token: 't', cursor, gitlab: createGitlabApi({ token: 'glpat-x' }) }, { logger: silentLogger, clock: Date.now });
    expect(source.failureDetail?.supports({ provider: 'gitlab', buildUrl: 'https://gitlab.com/acme/web/-/pipelines/1' })).toBe(true);
    expect(source.failureDetail?.supports({ provider: 'gitlab', buildUrl: 'https://git.example.com/acme/web/-/pipelines/1' })).toBe(false);
    const without = prepareRelaySource({ kind: 'relay', url: 'wss://relay.example.com', token: 't', cursor }, { logger: silentLogger, clock: Date.now });
    expect(without.failureDetail).toBeUndefined();
  });

  it('the demo explains its failures from the simulator’s logs', async () => {
    const { sim, job, request } = await failedPipeline();
    const source = prepareGitlabDemo(sim, { logger: silentLogger, clock: Date.now });
    const found = await source.failureDetail!.fetch(request, signal());
    expect(found[0]!.detail.logTail.slice(-2)).toEqual(verdict(job));
  });
});

describe('a failed GitLab pipeline through the engine, explained by the simulated API', () => {
  it("tells GitLab's reason at once (from the job hook) and adds the log's last lines when they arrive", async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const notifier = new RecordingNotifier();
    const engine = createEngine({
      settings: settingsSchema.parse({}),
      clock: Date.now,
      notifier,
      opener: async () => {},
      logger: silentLogger,
      localMinutesOfDay: () => 12 * 60,
      failureDetail: createGitlabFailureDetail(createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' }), { webHost: undefined, gate: gate() }),
    });
    sim.onEvent(({ event }) => engine.handle(event));
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: true });
    sim.advance(120_000);
    const job = pipeline.jobs.find((candidate) => candidate.status === 'failed')!;
    const key = `build:gitlab:${pipeline.id}`;
    const first = notifier.shown.find((intent) => intent.key === key)!;
    expect(first.body).toContain(`${job.name}: ${job.failureReason!.replace(/_/g, ' ')}`);
    await expect.poll(() => notifier.onScreen.get(key)!.body, { timeout: 5_000 }).toMatch(/\n> ERROR: Job failed/);
    engine.close();
  });
});
