import { afterEach, describe, expect, it } from 'vitest';
import { startGitlabSimulator, type GitlabSimulator } from './simulator.js';

let sim: GitlabSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function story(seed: number): Promise<string[]> {
  const s = await startGitlabSimulator({ seed, autoAdvance: false, api: false });
  const lines: string[] = [];
  s.onEvent(({ eventType, event }) => lines.push(`${eventType} ${event.repository.owner}/${event.repository.name} ${event.build.id} ${event.build.status} ${event.task ? `${event.task.name} ${event.task.status}` : ''}`));
  s.advance(120_000);
  await s.stop();
  return lines;
}

const get = (path: string, token?: string) => fetch(`${sim!.apiUrl}${path}`, { headers: token ? { 'private-token': token } : {} });
const post = (path: string, token?: string) => fetch(`${sim!.apiUrl}${path}`, { method: 'POST', headers: token ? { 'private-token': token } : {} });

describe('the GitLab simulator', () => {
  it('tells the same story for the same seed: a failure within 15 s, a pipeline blocked on a manual job', async () => {
    const first = await story(7);
    expect(await story(7)).toEqual(first);
    expect(await story(8)).not.toEqual(first);
    const s = await startGitlabSimulator({ autoAdvance: false, api: false });
    const states: string[] = [];
    s.onEvent(({ event }) => !event.task && states.push(`${event.build.state}@${s.now()}`));
    const start = s.now();
    s.advance(15_000);
    expect(states.some((entry) => entry.startsWith('failed@') && Number(entry.split('@')[1]) - start <= 15_000)).toBe(true);
    s.advance(10_000);
    expect(states.some((entry) => entry.startsWith('needs_approval@'))).toBe(true);
    await s.stop();
  });

  it('names the pipeline in a job hook by pipeline_id and, as older GitLab did, by commit.id', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, api: false });
    const bodies: Array<Record<string, unknown>> = [];
    sim.onEvent(({ eventType, body }) => eventType === 'Job Hook' && bodies.push(JSON.parse(body)));
    const pipeline = sim.startPipeline({ project: 'acme/platform/api', fail: true, mergeRequest: true });
    sim.advance(60_000);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body['pipeline_id']).toBe(pipeline.id);
      expect((body['commit'] as { id: number }).id).toBe(pipeline.id);
      expect(body['ref']).toBe(pipeline.ref);
    }
    expect(pipeline.ref).toMatch(/^refs\/merge-requests\/\d+\/head$/);
  });

  it('retries failed jobs as new jobs and runs the skipped ones again', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: true });
    sim.advance(60_000);
    expect(pipeline.status).toBe('failed');
    const failed = pipeline.jobs.find((job) => job.status === 'failed')!;
    expect((await post(`/projects/acme%2Fweb/pipelines/${pipeline.id}/retry`, 'sim-write-token')).status).toBe(201);
    sim.advance(60_000);
    expect(pipeline.status).toBe('success');
    expect(failed.retried).toBe(true);
    const listed = (await (await get(`/projects/acme%2Fweb/pipelines/${pipeline.id}/jobs`)).json()) as Array<{ id: number; status: string }>;
    expect(listed.map((job) => job.status)).toEqual(['success', 'success', 'success']);
    expect(listed.some((job) => job.id === failed.id)).toBe(false);
  });
});

describe('the simulated REST API', () => {
  it('addresses a project by id or URL-encoded path, and hides a private one from who may not see it', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const byPath = (await (await get('/projects/acme%2Fplatform%2Fapi')).json()) as { id: number; path_with_namespace: string; visibility: string };
    expect(byPath).toMatchObject({ path_with_namespace: 'acme/platform/api', visibility: 'public' });
    expect((await get(`/projects/${byPath.id}`)).status).toBe(200);
    expect(await (await get('/projects/acme%2Fmobile')).json()).toEqual({ message: '404 Project Not Found' });
    expect((await get('/projects/acme%2Fmobile', 'sim-read-token')).status).toBe(200);
    expect(await (await get('/projects/acme%2Fweb', 'not-a-token')).json()).toEqual({ message: '401 Unauthorized' });
    const bearer = await fetch(`${sim.apiUrl}/projects/acme%2Fmobile`, { headers: { authorization: 'Bearer sim-read-token' } });
    expect(bearer.status).toBe(200);
  });

  it('lists pipelines updated after a time, most recently updated first, and jobs by status', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, historyPerProject: 3 });
    const all = (await (await get('/projects/acme%2Fweb/pipelines?order_by=updated_at&sort=desc')).json()) as Array<{ id: number; updated_at: string }>;
    expect(all).toHaveLength(3);
    const second = (await (await get('/projects/acme%2Fweb/pipelines?order_by=updated_at&sort=desc&per_page=2&page=2')).json()) as Array<{ id: number }>;
    expect(second.map((p) => p.id)).toEqual([all[2]!.id]);
    expect(all.map((p) => p.updated_at)).toEqual([...all.map((p) => p.updated_at)].sort().reverse());
    expect(await (await get(`/projects/acme%2Fweb/pipelines?updated_after=${encodeURIComponent(all[0]!.updated_at)}`)).json()).toEqual([]);
    const pipeline = sim.startPipeline({ project: 'acme/web', manual: true, fail: false });
    sim.advance(60_000);
    const newer = (await (await get(`/projects/acme%2Fweb/pipelines?updated_after=${encodeURIComponent(all[0]!.updated_at)}`)).json()) as Array<{ id: number; status: string }>;
    expect(newer).toEqual([expect.objectContaining({ id: pipeline.id, status: 'manual' })]);
    const manual = (await (await get(`/projects/acme%2Fweb/pipelines/${pipeline.id}/jobs?scope[]=manual`)).json()) as Array<{ name: string; allow_failure: boolean }>;
    expect(manual).toEqual([expect.objectContaining({ name: 'deploy production', allow_failure: false })]);
    expect((await get('/projects/acme%2Fweb/pipelines?updated_after=yesterday')).status).toBe(400);
  });

  it('refuses actions as GitLab does: no token 401, a read token insufficient_scope, a token for another project 403, a job not waiting 400', async () => {
    sim = await startGitlabSimulator({
      scenario: false,
      autoAdvance: false,
      tokens: [
        { token: 'sim-read-token', permission: 'READ' },
        { token: 'sim-write-token', permission: 'WRITE' },
        { token: 'api-only-token', permission: 'WRITE', repositories: ['acme/platform/api'] },
      ],
    });
    const pipeline = sim.startPipeline({ project: 'acme/web', manual: true, fail: false });
    sim.advance(60_000);
    const deploy = pipeline.jobs.find((job) => job.status === 'manual')!;
    const lint = pipeline.jobs.find((job) => job.name === 'lint')!;
    const play = (job: { id: number }, token?: string) => post(`/projects/acme%2Fweb/jobs/${job.id}/play`, token);
    expect((await play(deploy)).status).toBe(401);
    expect(await (await play(deploy, 'sim-read-token')).json()).toMatchObject({ error: 'insufficient_scope' });
    expect(await (await play(deploy, 'api-only-token')).json()).toEqual({ message: '403 Forbidden' });
    expect(await (await play(lint, 'sim-write-token')).json()).toEqual({ message: '400 Bad request - Unplayable Job' });
    expect((await play(deploy, 'sim-write-token')).status).toBe(200);
    expect(deploy.status).toBe('pending');
  });

  it('limits callers: RateLimit-* on every answer, then 429 with Retry-After', async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { anonymous: 2 } });
    const first = await get('/projects/acme%2Fweb');
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    await get('/projects/acme%2Fweb');
    const limited = await get('/projects/acme%2Fweb');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toBe('Retry later\n');
    expect((await get('/projects/acme%2Fweb', 'sim-read-token')).status).toBe(200);
  });

  it("serves a job's log as GitLab does: the whole of it whatever the Range, with sections, colours and a redrawn progress line, behind the same auth and limit", async () => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, rateLimit: { anonymous: 3 } });
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: false });
    const waiting = pipeline.jobs.find((job) => job.name === 'package')!;
    // Not started yet: an empty log.
    expect(await (await get(`/projects/acme%2Fweb/jobs/${waiting.id}/trace`)).text()).toBe('');
    sim.advance(120_000);
    const job = pipeline.jobs.find((candidate) => candidate.name === 'unit tests')!;
    const answer = await fetch(`${sim.apiUrl}/projects/acme%2Fweb/jobs/${job.id}/trace`, { headers: { range: 'bytes=-1024' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.headers.get('ratelimit-remaining')).toBe('1');
    const log = await answer.text();
    expect(log.length).toBeGreaterThan(500_000);
    expect(log.startsWith('\u001b[0KRunning with gitlab-runner')).toBe(true);
    expect(log).toContain('\u001b[0Ksection_start:');
    expect(log).toContain(': 34%\r\u001b[0KPulling docker image node:20-bookworm: 100%');
    expect(log.trimEnd().endsWith('Job succeeded\u001b[0;m')).toBe(true);
    // The private project's logs are out of sight without a token; then the anonymous budget is spent.
    const hidden = sim.startPipeline({ project: 'acme/mobile', fail: false });
    sim.advance(120_000);
    expect((await get(`/projects/acme%2Fmobile/jobs/${hidden.jobs[0]!.id}/trace`)).status).toBe(404);
    expect((await get(`/projects/acme%2Fweb/jobs/${job.id}/trace`)).status).toBe(429);
    expect((await get(`/projects/acme%2Fmobile/jobs/${hidden.jobs[0]!.id}/trace`, 'sim-read-token')).status).toBe(200);
    expect((await get('/projects/acme%2Fweb/jobs/1/trace', 'sim-read-token')).status).toBe(404);
  });
});
