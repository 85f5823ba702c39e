import { describe, expect, it } from 'vitest';
import { apiJobSchema, apiPipelineSchema, apiProjectSchema, type ApiJob, type ApiPipeline } from '../../../providers/gitlab/api/responses.js';
import { gitlabApiBuild, gitlabPipelineEvents, pipelineChanged, type KnownPipeline } from './pollDiff.js';

const AT = Date.UTC(2026, 10, 30, 10, 0, 0);
const project = apiProjectSchema.parse({ id: 55120987, path_with_namespace: 'acme/platform/web', web_url: 'https://gitlab.com/acme/platform/web', visibility: 'private' });

function pipeline(status: string, updatedAt = '2026-11-30T09:15:41.000Z', extra: Record<string, unknown> = {}): ApiPipeline {
  return apiPipelineSchema.parse({ id: '9007199254740993', ref: 'main', sha: 'abc123', status, updated_at: updatedAt, web_url: 'https://gitlab.com/acme/platform/web/-/pipelines/9007199254740993', ...extra });
}

function job(id: number, name: string, status: string, extra: Record<string, unknown> = {}): ApiJob {
  return apiJobSchema.parse({
    id, name, status, stage: 'test', allow_failure: false, web_url: `https://gitlab.com/acme/platform/web/-/jobs/${id}`,
    user: { username: 'ada' }, commit: { title: 'Fix the flaky checkout test', message: 'Fix the flaky checkout test\n\nbody' }, ...extra,
  });
}

const known = (p: ApiPipeline, jobs: ApiJob[] | null): KnownPipeline => ({ pipeline: p, jobs });
const summary = (events: ReturnType<typeof gitlabPipelineEvents>) => events.map((e) => (e.task ? `job ${e.task.name} ${e.task.previousStatus ?? '-'}->${e.task.state}` : `pipeline ${e.build.previousStatus ?? '-'}->${e.build.state}`));

describe('gitlabPipelineEvents', () => {
  it('tells a failure with its jobs first, so the failed job is known; the pipeline names the status it left', () => {
    const before = known(pipeline('running', '2026-11-30T09:14:00.000Z'), [job(1, 'lint', 'success'), job(2, 'unit tests', 'running')]);
    const events = gitlabPipelineEvents(project, before, pipeline('failed'), [job(1, 'lint', 'success'), job(2, 'unit tests', 'failed')], AT);
    expect(summary(events)).toEqual(['job unit tests running->failed', 'pipeline running->failed']);
    expect(events[0]!.task!.url).toBe('https://gitlab.com/acme/platform/web/-/jobs/2');
    // The job event carries the pipeline as last seen: the failure is told once, by the pipeline's event.
    expect(events[0]!.build).toMatchObject({ status: 'running', state: 'running', previousStatus: null });
    expect(events[1]).toMatchObject({
      id: 'poll:gitlab:9007199254740993:failed:2026-11-30T09:15:41.000Z', provider: 'gitlab', kind: 'build', action: 'updated', receivedAt: AT,
      repository: { id: '55120987', owner: 'acme/platform', name: 'web', private: true },
      build: { id: '9007199254740993', status: 'failed', previousStatus: 'running', state: 'failed', branch: 'main', title: 'Fix the flaky checkout test', initiator: 'ada', url: 'https://gitlab.com/acme/platform/web/-/pipelines/9007199254740993', changedAt: Date.parse('2026-11-30T09:15:41Z') },
    });
  });

  it("a failed job carries GitLab's reason, as its Job Hook would; one allowed to fail does not", () => {
    const before = known(pipeline('running', '2026-11-30T09:14:00.000Z'), [job(1, 'lint', 'running'), job(2, 'unit tests', 'running')]);
    const jobs = [job(1, 'lint', 'failed', { failure_reason: 'script_failure', allow_failure: true }), job(2, 'unit tests', 'failed', { failure_reason: 'runner_system_failure' })];
    const events = gitlabPipelineEvents(project, before, pipeline('failed'), jobs, AT);
    expect(events.filter((e) => e.task).map((e) => [e.task!.name, e.task!.detail ?? null])).toEqual([
      ['lint', null],
      ['unit tests', { step: null, reason: 'runner_system_failure', logTail: [], annotation: null }],
    ]);
  });

  it('a new pipeline: every job is news, then the pipeline, created', () => {
    const events = gitlabPipelineEvents(project, undefined, pipeline('running'), [job(1, 'lint', 'running'), job(2, 'unit tests', 'pending')], AT);
    expect(summary(events)).toEqual(['job lint -->running', 'job unit tests -->queued', 'pipeline -->running']);
    expect(events.map((e) => e.action)).toEqual(['created', 'created', 'created']);
    expect(events.slice(0, 2).map((e) => e.build.status)).toEqual(['created', 'created']);
  });

  it('a baseline pipeline (jobs never listed) that changes: its jobs are all told once', () => {
    const events = gitlabPipelineEvents(project, known(pipeline('running', 'x'), null), pipeline('failed'), [job(1, 'lint', 'failed')], AT);
    expect(summary(events)).toEqual(['job lint -->failed', 'pipeline running->failed']);
  });

  it('a retry: the pipeline leaving its final status comes first, then the new jobs', () => {
    const before = known(pipeline('failed', '2026-11-30T09:15:41.000Z'), [job(2, 'unit tests', 'failed')]);
    const events = gitlabPipelineEvents(project, before, pipeline('running', '2026-11-30T09:20:00.000Z'), [job(3, 'unit tests', 'pending')], AT);
    expect(summary(events)).toEqual(['pipeline failed->running', 'job unit tests -->queued']);
    // After the pipeline's own event, its jobs carry it as it is now, never the failure it left.
    expect(events[1]!.build).toMatchObject({ status: 'running', state: 'running' });
  });

  it('jobs moved while the pipeline did not: job events only; nothing moved: nothing', () => {
    const before = known(pipeline('running', 'a'), [job(1, 'lint', 'running')]);
    expect(summary(gitlabPipelineEvents(project, before, pipeline('running', 'b'), [job(1, 'lint', 'success')], AT))).toEqual(['job lint running->passed']);
    expect(gitlabPipelineEvents(project, before, pipeline('running', 'a'), [job(1, 'lint', 'running')], AT)).toEqual([]);
  });

  it('a job allowed to fail does not fail; a manual job waits for approval', () => {
    const events = gitlabPipelineEvents(project, undefined, pipeline('manual'), [job(1, 'audit', 'failed', { allow_failure: true }), job(2, 'deploy', 'manual')], AT);
    expect(summary(events)).toEqual(['job audit -->skipped', 'job deploy -->needs_approval', 'pipeline -->needs_approval']);
  });

  it('gives job events ids unique per job and status', () => {
    const events = gitlabPipelineEvents(project, undefined, pipeline('running'), [job(1, 'a', 'running'), job(2, 'b', 'running')], AT);
    expect(events.map((e) => e.id)).toEqual(['poll:gitlab:job:1:running', 'poll:gitlab:job:2:running', 'poll:gitlab:9007199254740993:running:2026-11-30T09:15:41.000Z']);
  });
});

describe('gitlabApiBuild', () => {
  it('takes a merge request pipeline\'s iid as the pull request and leaves the branch unknown', () => {
    const build = gitlabApiBuild(pipeline('running', 'x', { ref: 'refs/merge-requests/87/head' }), [], null);
    expect(build).toMatchObject({ branch: null, pullRequest: 87, title: null, initiator: null });
  });

  it('falls back to the commit message\'s subject for the title', () => {
    expect(gitlabApiBuild(pipeline('running'), [job(1, 'a', 'running', { commit: { message: 'Subject line\n\nbody' } })], null).title).toBe('Subject line');
  });
});

describe('pipelineChanged', () => {
  it('is true for a new pipeline, a new status or a new update time', () => {
    const before = known(pipeline('running', 'a'), null);
    expect(pipelineChanged(undefined, pipeline('running', 'a'))).toBe(true);
    expect(pipelineChanged(before, pipeline('running', 'a'))).toBe(false);
    expect(pipelineChanged(before, pipeline('failed', 'a'))).toBe(true);
    expect(pipelineChanged(before, pipeline('running', 'b'))).toBe(true);
  });
});
