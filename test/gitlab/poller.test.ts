/**
 * The GitLab poller and its source against the simulated REST v4 API on 127.0.0.1: a baseline
 * first, then news from pipelines updated since the last poll with the jobs of those that
 * changed (a failure opens the failed job), nothing lost to a failure midway, a rate-limit pause
 * the tray can show, and the demo's approve and re-run reaching the simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionUpdate } from '../../src/client/engine/engine.js';
import type { EventSink } from '../../src/client/sources/contract.js';
import { createGitlabPoller } from '../../src/client/sources/gitlab/poller.js';
import { describeRateLimitPause } from '../../src/client/sources/pollingSource.js';
import { prepareGitlabDemo, prepareGitlabPoller, type GitlabDemoSimulator } from '../../src/client/sources/gitlab/source.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import { silentLogger, type Logger } from '../../src/core/ports.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator, type GitlabSimulator } from '../../src/sim/gitlab/simulator.js';

let sim: GitlabSimulator | undefined;
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

const line = (e: NormalisedEvent) => (e.task ? `${e.build.id} job ${e.task.name} ${e.task.state}` : `${e.build.id} pipeline ${e.build.state}`);

describe('createGitlabPoller', () => {
  it('takes the first poll as a baseline, then tells new pipelines and their jobs, the failed job with its page', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const events: NormalisedEvent[] = [];
    const poller = createGitlabPoller({ api, repositories: ['acme/web', 'acme/platform/api'], intervalMs: 60_000, clock: Date.now, logger: silentLogger, onEvent: (e) => events.push(e) });
    expect(await poller.pollNow()).toEqual({ ok: true, events: [] });
    // Two lookups and two listings; the baseline lists no jobs.
    expect(poller.stats()).toMatchObject({ requests: 4, jobListings: 0 });
    await poller.pollNow();
    expect(poller.stats()).toMatchObject({ requests: 6, jobListings: 0 });

    const pipeline = sim.startPipeline({ project: 'acme/platform/api', fail: true });
    await poller.pollNow();
    sim.advance(60_000);
    await poller.pollNow();
    const id = String(pipeline.id);
    expect(events.filter((e) => !e.task).map(line)).toEqual([`${id} pipeline queued`, `${id} pipeline failed`]);
    const failedJob = pipeline.jobs.find((job) => job.status === 'failed')!;
    const failedEvent = events.find((e) => e.task?.state === 'failed')!;
    expect(failedEvent.task).toMatchObject({ id: String(failedJob.id), name: failedJob.name, url: `https://gitlab.com/acme/platform/api/-/jobs/${failedJob.id}` });
    // The failed job is told before the pipeline's failure.
    expect(events.indexOf(failedEvent)).toBeLessThan(events.findIndex((e) => !e.task && e.build.state === 'failed'));
    expect(events.at(-1)).toMatchObject({ provider: 'gitlab', repository: { owner: 'acme/platform', name: 'api' }, build: { previousStatus: expect.any(String), url: `https://gitlab.com/acme/platform/api/-/pipelines/${id}`, initiator: expect.any(String), title: expect.any(String) } });
    // acme/web stayed quiet: its listings since the baseline were empty and cost no job listing.
    expect(poller.stats().jobListings).toBe(2);
  });

  it('keeps nothing of a poll that failed midway: the next poll tells what it could not', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const events: NormalisedEvent[] = [];
    const errors: Error[] = [];
    // Every job listing fails once: the pipeline listing succeeds, the poll does not.
    let broken = true;
    const flaky = {
      ...api,
      listPipelineJobs: async (...args: Parameters<typeof api.listPipelineJobs>) => {
        if (broken) {
          broken = false;
          throw new Error('connection reset');
        }
        return api.listPipelineJobs(...args);
      },
    };
    const second = createGitlabPoller({ api: flaky, repositories: ['acme/web'], intervalMs: 60_000, clock: Date.now, logger: silentLogger, onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
    await second.pollNow();
    const next = sim.startPipeline({ project: 'acme/web', fail: false });
    sim.advance(60_000);
    expect(await second.pollNow()).toMatchObject({ ok: false, error: { message: 'connection reset' } });
    const retried = await second.pollNow();
    expect(retried.ok && retried.events.filter((e) => !e.task).map(line)).toEqual([`${next.id} pipeline passed`]);
    expect(errors.map((error) => error.message)).toEqual(['connection reset']);
  });

  it('warns once about a private project it cannot see, and polls the others', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    const poller = createGitlabPoller({ api: createGitlabApi({ baseUrl: sim.apiUrl! }), repositories: ['acme/mobile', 'acme/web'], intervalMs: 60_000, clock: Date.now, logger, onEvent: () => {} });
    expect((await poller.pollNow()).ok).toBe(true);
    expect((await poller.pollNow()).ok).toBe(true);
    expect(warnings.filter((w) => w.includes('not found or not visible'))).toHaveLength(1);
    expect(warnings[0]).toMatch(/read_api/);
  });

  it('refuses a watched project that is not a full path', () => {
    expect(() => createGitlabPoller({ api: {} as never, repositories: ['web'], clock: Date.now, logger: silentLogger, onEvent: () => {} })).toThrow(/'web' is not a full path such as group\/project/);
  });
});

describe('the GitLab source', () => {
  it('says in the tray when polling is paused for the rate limit, and until when', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 5 } });
    const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const source = prepareGitlabPoller({ kind: 'gitlab', api, apiUrl: sim.apiUrl!, repositories: ['acme/web', 'acme/platform/api'], intervalMs: 60_000 }, { logger: silentLogger, clock: Date.now });
    const { sink, connections } = recordingSink();
    await source.start(sink);
    // Four requests spent, one left: too few for the next round of two projects, so it pauses now.
    const paused = connections.find((update) => update.reason?.startsWith('GitLab rate limit'));
    expect(paused).toMatchObject({ connected: false, source: 'GitLab API (2 projects)' });
    expect(paused!.reason).toMatch(/^GitLab rate limit: paused until \d\d:\d\d$/);
    expect(source.actions[0]!.provider).toBe('gitlab');
    expect(source.actions[0]!.host).toBe(new URL(sim.apiUrl!).host);
    await source.stop();
  });

  it('pauses on a 429 with Retry-After, and says why', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { authenticated: 1 } });
    const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const pauses: Array<number | null> = [];
    const poller = createGitlabPoller({ api, repositories: ['acme/web'], intervalMs: 60_000, clock: Date.now, logger: silentLogger, onEvent: () => {}, onPause: (until) => pauses.push(until) });
    const result = await poller.pollNow();
    expect(result).toMatchObject({ ok: false, error: { name: 'GitlabRateLimitError' } });
    expect(pauses[0]).toBeGreaterThan(Date.now());
    expect(poller.stats().pausedUntil).toBe(pauses.at(-1));
  });

  it('formats the pause as a time of day', () => {
    expect(describeRateLimitPause('GitLab', new Date(2026, 0, 1, 14, 5).getTime())).toBe('GitLab rate limit: paused until 14:05');
  });

  it('the demo, on a simulator the shell started, gives the engine approve and re-run that reach it', async () => {
    sim = await startGitlabSimulator({ speed: 50 });
    const handle: GitlabDemoSimulator = sim;
    const source = prepareGitlabDemo(handle, { logger: silentLogger, clock: Date.now });
    const { sink, events } = recordingSink();
    await source.start(sink);
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 300 && !done(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    };
    const waiting = () => events.find((e) => e.kind === 'build' && e.build.state === 'needs_approval');
    const failed = () => events.find((e) => e.kind === 'build' && e.build.state === 'failed');
    await until(() => waiting() !== undefined && failed() !== undefined);
    const [actions] = source.actions;
    expect(actions).toMatchObject({ provider: 'gitlab' });
    expect(actions!.host).toBeUndefined();
    const ref = (event: NormalisedEvent) => ({ provider: event.provider, repository: event.repository, id: event.build.id, url: event.build.url });
    await actions!.approve(ref(waiting()!));
    await actions!.rerunFailedTasks(ref(failed()!));
    const deployRuns = () => events.some((e) => e.build.id === waiting()!.build.id && e.task?.name === 'deploy production' && e.task.state === 'running');
    const failedAt = events.indexOf(failed()!);
    // A hook names no previous status: the retry shows as the failed pipeline running again.
    const retried = () => events.slice(failedAt).some((e) => !e.task && e.build.id === failed()!.build.id && (e.build.state === 'queued' || e.build.state === 'running'));
    await until(() => deployRuns() && retried());
    expect(retried()).toBe(true);
    expect(deployRuns()).toBe(true);
    await source.stop();
    sim = undefined;
  });
});
