import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../core/event.js';
import { fixtureJson, fixturesRoot } from '../../../test/support/fixtures.js';
import { decodeGithubDelivery, githubWebhooks } from './webhooks.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
// The project's own deliveries (test/fixtures/github/, written by the GitHub simulator's payload
// builders: every status and conclusion). The octokit examples GitHub documents are checked by
// `npm run test:conformance` (test/conformance/githubPayloads.test.ts).
const fixture = (name: string) => fixtureJson(`github/${name}.json`);

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeGithubDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

const widgets = { id: '47110001', owner: 'acme', name: 'widgets', private: false };
const runUrl = 'https://github.com/acme/widgets/actions/runs/4711000101';

/** The documented mapping (README, "GitHub Actions"), per fixture file name. */
const RUN_STATES: Record<string, string> = {
  requested: 'queued', queued: 'queued', pending: 'queued', in_progress: 'running',
  waiting: 'needs_approval', action_required: 'needs_approval',
  'completed.success': 'passed', 'completed.neutral': 'passed',
  'completed.failure': 'failed', 'completed.timed_out': 'failed',
  'completed.cancelled': 'aborted', 'completed.stale': 'aborted', 'completed.skipped': 'aborted',
  'completed.action_required': 'needs_approval', 'completed.startup_failure': 'errored',
  'completed.with-pull-request': 'passed', 'requested.re-run': 'queued',
};
// A skipped job is listed as skipped; only a run maps it onto aborted (it says nothing about the branch).
const JOB_STATES: Record<string, string> = { ...RUN_STATES, 'completed.skipped': 'skipped' };

describe('every fixture in test/fixtures/github parses and normalises to its documented state', () => {
  for (const eventType of ['workflow_run', 'workflow_job'] as const) {
    const files = readdirSync(path.join(fixturesRoot, 'github', eventType)).filter((name) => name.endsWith('.json'));
    it(`${eventType}: the fixtures cover every status and every conclusion`, () => {
      const names = files.map((file) => file.replace(/\.json$/, ''));
      for (const status of ['requested', 'queued', 'pending', 'waiting', 'in_progress', 'action_required']) expect(names).toContain(status);
      for (const conclusion of ['success', 'failure', 'neutral', 'cancelled', 'timed_out', 'action_required', 'skipped', 'stale', 'startup_failure']) {
        expect(names).toContain(`completed.${conclusion}`);
      }
    });
    for (const file of files) {
      const name = file.replace(/\.json$/, '');
      it(`${eventType}/${file}`, () => {
        const event = decodeEvent(eventType, fixture(`${eventType}/${name}`));
        expect(event.provider).toBe('github');
        expect(event.repository).toEqual(widgets);
        if (eventType === 'workflow_run') {
          expect(event.kind).toBe('build');
          expect(event.build.state).toBe(RUN_STATES[name]);
        } else {
          expect(event.kind).toBe('task');
          expect(event.task?.state).toBe(JOB_STATES[name]);
        }
        expect(event.build.url).toBe(runUrl);
      });
    }
  }
});

describe('workflow_run is the build', () => {
  it('normalises a requested run as a new, queued build', () => {
    expect(decodeEvent('workflow_run', fixture('workflow_run/requested'))).toEqual({
      id: 'delivery-1',
      provider: 'github',
      kind: 'build',
      action: 'created',
      receivedAt: context.receivedAt,
      repository: widgets,
      build: {
        id: '4711000101',
        status: 'requested',
        previousStatus: null,
        state: 'queued',
        branch: 'main',
        sha: '3f2a9c1d0b8e7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        title: 'Cache the parsed manifest (#42)',
        pullRequest: null,
        initiator: 'ada',
        url: runUrl,
        changedAt: Date.parse('2026-11-30T09:00:00Z'),
      },
      task: null,
    });
  });

  it('reads the conclusion of a completed run', () => {
    const event = decodeEvent('workflow_run', fixture('workflow_run/completed.success'));
    expect(event.action).toBe('updated');
    expect(event.build).toMatchObject({ status: 'completed', state: 'passed', pullRequest: null });
  });

  it('takes the pull request number when there is one', () => {
    expect(decodeEvent('workflow_run', fixture('workflow_run/completed.with-pull-request')).build).toMatchObject({ pullRequest: 7, branch: 'fix-manifest' });
  });

  it('says a re-run attempt left "completed", so the engine takes it over the finished attempt', () => {
    expect(decodeEvent('workflow_run', fixture('workflow_run/requested.re-run')).build).toMatchObject({ previousStatus: 'completed', initiator: 'grace' });
    // The same run as a first attempt left nothing.
    expect(decodeEvent('workflow_run', fixture('workflow_run/requested')).build.previousStatus).toBeNull();
  });

  it('falls back to the commit subject, then the workflow name, for the title', () => {
    const body = fixture('workflow_run/completed.success');
    const run = body['workflow_run'] as Record<string, unknown>;
    expect(decodeEvent('workflow_run', { ...body, workflow_run: { ...run, display_title: null, head_commit: { message: 'Subject line\n\nBody' } } }).build.title)
      .toBe('Subject line');
    expect(decodeEvent('workflow_run', { ...body, workflow_run: { ...run, display_title: null, head_commit: null, name: 'CI' } }).build.title)
      .toBe('CI');
  });
});

describe('workflow_job is the task', () => {
  it('normalises a failed job with its own link, as a task of its run', () => {
    const event = decodeEvent('workflow_job', fixture('workflow_job/completed.failure'));
    expect(event.task).toEqual({
      id: '47110001001',
      name: 'test (arm64)',
      status: 'completed',
      previousStatus: null,
      state: 'failed',
      url: 'https://github.com/acme/widgets/actions/runs/4711000101/job/47110001001',
      // The step that failed, from the job's steps: what the notification names.
      detail: { step: 'Run npm test', reason: null, logTail: [], annotation: null },
    });
    // A finished job does not finish its run: the run is still in progress as far as this says.
    expect(event.build).toMatchObject({ id: '4711000101', status: 'in_progress', state: 'running', title: null, initiator: null, url: runUrl });
  });

  it('names the cancelled step of a job that timed out, and no step of a job that passed', () => {
    expect(decodeEvent('workflow_job', fixture('workflow_job/completed.timed_out')).task?.detail).toEqual({ step: 'Run npm test', reason: 'timed out', logTail: [], annotation: null });
    expect(decodeEvent('workflow_job', fixture('workflow_job/completed.success')).task?.detail).toBeUndefined();
  });

  it('cuts a step name to its bound instead of refusing the delivery', () => {
    const body = fixture('workflow_job/completed.failure') as { workflow_job: Record<string, unknown> };
    const steps = [{ name: `npm test ${'x'.repeat(5000)}`, status: 'completed', conclusion: 'failure', number: 1 }];
    const event = decodeEvent('workflow_job', { ...body, workflow_job: { ...body.workflow_job, steps } });
    expect(event.task?.detail?.step).toHaveLength(200);
  });

  it.each([
    ['queued', 'created', 'queued', 'queued'],
    ['in_progress', 'updated', 'running', 'running'],
    ['completed.success', 'updated', 'passed', 'running'],
  ])('%s: action %s, task %s, build %s', (name, action, taskState, buildState) => {
    const event = decodeEvent('workflow_job', fixture(`workflow_job/${name}`));
    expect(event.action).toBe(action);
    expect(event.task?.state).toBe(taskState);
    expect(event.build.state).toBe(buildState);
  });

  it('makes a job waiting on an environment a build that needs approval', () => {
    const event = decodeEvent('workflow_job', fixture('workflow_job/waiting'));
    expect(event.task).toMatchObject({ name: 'test (arm64)', status: 'waiting', state: 'needs_approval' });
    expect(event.build).toMatchObject({ id: '4711000101', status: 'waiting', previousStatus: 'in_progress', state: 'needs_approval' });
  });
});

describe('other deliveries', () => {
  it('acknowledges ping and event types it does not handle without storing them', () => {
    expect(decodeGithubDelivery('ping', { zen: 'Design for failure.', hook_id: 1 }, context)).toEqual({ kind: 'ignored' });
    expect(decodeGithubDelivery('check_suite', fixture('workflow_run/completed.success'), context)).toEqual({ kind: 'ignored' });
  });

  it.each([
    ['an unknown status', 'workflow_run', (b: Record<string, unknown>) => ({ ...b, workflow_run: { ...(b['workflow_run'] as object), status: 'done' } }), 'workflow_run.status'],
    ['a repository without owner', 'workflow_run', (b: Record<string, unknown>) => ({ ...b, repository: { id: 1, name: 'x', private: false, html_url: 'https://github.com/x/x' } }), 'repository.owner'],
    ['a job event without a job', 'workflow_job', (b: Record<string, unknown>) => ({ ...b, workflow_job: {} }), 'workflow_job.'],
  ])('refuses %s, naming the field', (_case, eventType, change, field) => {
    const base = fixture(eventType === 'workflow_run' ? 'workflow_run/completed.success' : 'workflow_job/queued');
    const decoded = decodeGithubDelivery(eventType, change(base), context);
    expect(decoded.kind).toBe('invalid');
    expect(decoded.kind === 'invalid' && decoded.message).toContain(field);
  });

  it('keeps unknown fields instead of failing on them', () => {
    const body = fixture('workflow_run/completed.success');
    const run = { ...(body['workflow_run'] as object), somethingNew: { x: [1] } };
    expect(decodeEvent('workflow_run', { ...body, brandNew: true, workflow_run: run }).build.id).toBe('4711000101');
  });
});

describe('headers', () => {
  it('recognises GitHub by X-GitHub-Event or X-Hub-Signature-256, not by Cirrus headers', () => {
    expect(githubWebhooks.recognises({ 'x-github-event': 'ping' })).toBe(true);
    expect(githubWebhooks.recognises({ 'x-hub-signature-256': 'sha256=00' })).toBe(true);
    expect(githubWebhooks.recognises({ 'x-cirrus-event': 'build' })).toBe(false);
  });

  it('uses X-GitHub-Delivery as the delivery id, and nothing absurd', () => {
    expect(githubWebhooks.deliveryId({ 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' })).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(githubWebhooks.deliveryId({})).toBeUndefined();
    expect(githubWebhooks.deliveryId({ 'x-github-delivery': 'x'.repeat(101) })).toBeUndefined();
  });
});
