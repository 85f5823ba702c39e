import { describe, expect, it } from 'vitest';
import { FakeTime } from '../../../../test/support/fakeTime.js';
import { silentLogger } from '../../../core/ports.js';
import type { GitlabApi } from '../../../providers/gitlab/api/client.js';
import { GitlabPermissionError, GitlabRateLimitError } from '../../../providers/gitlab/api/errors.js';
import type { RateLimit } from '../../../providers/gitlab/api/rateLimit.js';
import { apiJobSchema, apiPipelineSchema, apiProjectSchema } from '../../../providers/gitlab/api/responses.js';
import { createGitlabPoller, parseWatchedProjects } from './poller.js';

/** Lets the promises of a poll begun by a timer run to their end. */
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
};
const NO_LIMIT: RateLimit = { limit: null, remaining: null, resetAt: null };
const project = apiProjectSchema.parse({ id: 42, path_with_namespace: 'acme/web', web_url: 'https://gitlab.com/acme/web', visibility: 'public' });
const pipeline = (id: number, status: string, updatedAt: string) => apiPipelineSchema.parse({ id, status, ref: 'main', updated_at: updatedAt, web_url: `https://gitlab.com/acme/web/-/pipelines/${id}` });
const job = (id: number, status: string) => apiJobSchema.parse({ id, name: `job ${id}`, status, web_url: `https://gitlab.com/acme/web/-/jobs/${id}` });

/** A GitLab API whose answers a test scripts, recording what the poller asked. */
function scriptedApi() {
  const asked: string[] = [];
  const state = { pipelines: [] as ReturnType<typeof pipeline>[], jobs: [] as ReturnType<typeof job>[], rateLimit: NO_LIMIT, fail: undefined as Error | undefined };
  const api: Pick<GitlabApi, 'getProject' | 'listPipelines' | 'listPipelineJobs'> = {
    async getProject(ref) {
      asked.push(`project ${ref}`);
      return { kind: 'found', project, rateLimit: state.rateLimit };
    },
    async listPipelines(ref, options = {}) {
      const page = options.page ?? 1;
      asked.push(`pipelines ${ref} after ${options.updatedAfter ?? '-'}${page > 1 ? ` page ${page}` : ''}`);
      if (state.fail) throw state.fail;
      const size = options.perPage ?? 20;
      return { kind: 'listed', pipelines: state.pipelines.slice((page - 1) * size, page * size), rateLimit: state.rateLimit };
    },
    async listPipelineJobs(ref, id) {
      asked.push(`jobs ${ref} ${id}`);
      return { jobs: state.jobs, rateLimit: state.rateLimit };
    },
  };
  return { api, asked, state };
}

describe('createGitlabPoller', () => {
  it('asks for pipelines updated after the latest updated_at GitLab wrote, by project id after one lookup', async () => {
    const { api, asked, state } = scriptedApi();
    const events: string[] = [];
    const poller = createGitlabPoller({ api, repositories: ['acme/web'], clock: Date.now, logger: silentLogger, onEvent: (e) => events.push(e.id) });
    state.pipelines = [pipeline(2, 'success', '2026-11-30T10:00:00.000Z'), pipeline(1, 'success', '2026-11-30T09:00:00.000Z')];
    await poller.pollNow();
    state.pipelines = [pipeline(3, 'running', '2026-11-30T10:05:00.000Z')];
    state.jobs = [job(30, 'running')];
    await poller.pollNow();
    state.pipelines = [];
    await poller.pollNow();
    expect(asked).toEqual([
      'project acme/web',
      'pipelines 42 after -',
      'pipelines 42 after 2026-11-30T10:00:00.000Z',
      'jobs 42 3',
      'pipelines 42 after 2026-11-30T10:05:00.000Z',
    ]);
    expect(events).toEqual(['poll:gitlab:job:30:running', 'poll:gitlab:3:running:2026-11-30T10:05:00.000Z']);
  });

  it('pauses when too few requests remain for a round, resumes after the reset, pauses on a 429, and reports other failures', async () => {
    const time = new FakeTime();
    const { api, state } = scriptedApi();
    const pauses: Array<number | null> = [];
    const errors: string[] = [];
    const poller = createGitlabPoller({
      api, repositories: ['acme/web', 'acme/api'], intervalMs: 60_000, clock: time.clock, timers: time.timers, random: () => 0, logger: silentLogger,
      onEvent: () => {}, onPause: (until) => pauses.push(until), onError: (error) => errors.push(error.message),
    });
    state.rateLimit = { limit: 100, remaining: 1, resetAt: time.now + 30_000 };
    poller.start();
    await settle();
    expect(pauses).toEqual([time.now + 30_000]);
    state.rateLimit = NO_LIMIT;
    time.advance(31_000);
    await settle();
    expect(pauses.at(-1)).toBeNull();
    expect(poller.stats().polls).toBe(2);

    const until = time.now + 180_000;
    state.fail = new GitlabRateLimitError(until, 'Retry later');
    time.advance(60_000);
    await settle();
    expect(pauses.at(-1)).toBe(until);
    expect(errors).toEqual([]);
    state.fail = new Error('connection reset');
    time.advance(until - time.now + 1_000);
    await settle();
    expect(errors).toEqual(['connection reset']);
    poller.stop();
  });

  it('reads the next pages while they are full, so a busy project loses no update', async () => {
    const { api, asked, state } = scriptedApi();
    const events: string[] = [];
    const poller = createGitlabPoller({ api, repositories: ['acme/web'], pipelinesPerProject: 2, clock: Date.now, logger: silentLogger, onEvent: (e) => !e.task && events.push(e.build.id) });
    state.pipelines = [pipeline(2, 'success', '2026-11-30T10:00:00.000Z'), pipeline(1, 'success', '2026-11-30T09:00:00.000Z'), pipeline(0, 'success', '2026-11-30T08:00:00.000Z')];
    await poller.pollNow();
    state.pipelines = [5, 4, 3].map((id) => pipeline(id, 'running', `2026-11-30T10:0${id}:00.000Z`));
    await poller.pollNow();
    expect(asked.filter((line) => line.startsWith('pipelines'))).toEqual(['pipelines 42 after -', 'pipelines 42 after 2026-11-30T10:00:00.000Z', 'pipelines 42 after 2026-11-30T10:00:00.000Z page 2']);
    expect(events).toEqual(['3', '4', '5']);
  });

  it('tells a pipeline whose jobs it may not see without them, rather than stop polling', async () => {
    const { api, state } = scriptedApi();
    const events: string[] = [];
    const warnings: string[] = [];
    const refusing = { ...api, listPipelineJobs: async () => Promise.reject(new GitlabPermissionError('list the jobs', 'role', 'read_api', true, '403 Forbidden')) };
    const poller = createGitlabPoller({ api: refusing, repositories: ['acme/web'], clock: Date.now, logger: { ...silentLogger, warn: (m) => void warnings.push(m) }, onEvent: (e) => events.push(e.id) });
    await poller.pollNow();
    state.pipelines = [pipeline(3, 'failed', '2026-11-30T10:05:00.000Z')];
    expect((await poller.pollNow()).ok).toBe(true);
    state.pipelines = [pipeline(4, 'failed', '2026-11-30T10:06:00.000Z')];
    await poller.pollNow();
    expect(events).toEqual(['poll:gitlab:3:failed:2026-11-30T10:05:00.000Z', 'poll:gitlab:4:failed:2026-11-30T10:06:00.000Z']);
    expect(warnings.filter((w) => w.includes('jobs not visible'))).toHaveLength(1);
  });

  it('never polls more often than every 15 s', () => {
    const poller = createGitlabPoller({ api: scriptedApi().api, repositories: ['a/b'], intervalMs: 1_000, clock: Date.now, logger: silentLogger, onEvent: () => {} });
    expect(poller.intervalMs).toBe(15_000);
  });
});

describe('parseWatchedProjects', () => {
  it('takes full paths, subgroups included, and names the first that is not one', () => {
    expect(parseWatchedProjects(['acme/web', ' acme/platform/api/ '])).toEqual(['acme/web', 'acme/platform/api']);
    expect(() => parseWatchedProjects(['acme/web', 'web'])).toThrow(/'web' is not a full path/);
    expect(() => parseWatchedProjects(['acme/ web'])).toThrow(TypeError);
  });
});
