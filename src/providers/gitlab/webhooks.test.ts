/** GitLab hooks to normalised events, from the project's own fixtures (test/fixtures/gitlab/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonLosslessly } from '../../core/json.js';
import { gitlabJobState, gitlabPipelineState, gitlabStatusSchema } from './status.js';
import { createGitlabWebhooks, decodeGitlabDelivery } from './webhooks.js';
import { signStandardWebhook } from './token.js';

const fixture = (name: string): unknown => parseJsonLosslessly(readFileSync(new URL(`../../../test/fixtures/gitlab/${name}`, import.meta.url), 'utf8'));
const context = { id: 'delivery-key', receivedAt: 1_000 };

describe('a pipeline hook', () => {
  it('is the build: a merge request pipeline in a subgroup', () => {
    const decoded = decodeGitlabDelivery('Pipeline Hook', fixture('pipeline/failed.merge-request.json'), context);
    expect(decoded).toEqual({
      kind: 'event',
      event: {
        id: 'delivery-key', provider: 'gitlab', kind: 'build', action: 'updated', receivedAt: 1_000,
        repository: { id: '55120987', owner: 'acme/platform', name: 'web', private: true },
        build: {
          id: '1544210987', status: 'failed', previousStatus: null, state: 'failed',
          branch: 'cache-deps', sha: '7c3f9e2d41a8b6f0e5d4c3b2a1908f7e6d5c4b3a', title: 'Cache the dependency tree',
          pullRequest: 87, initiator: 'ada', url: 'https://gitlab.com/acme/platform/web/-/pipelines/1544210987',
          changedAt: Date.parse('2026-11-30T09:15:41Z'),
        },
        task: null,
      },
    });
  });
});

describe('a job hook', () => {
  it('is a task of the pipeline it names, with its id digit for digit past 2^53', () => {
    const decoded = decodeGitlabDelivery('Job Hook', fixture('job/failed.json'), context);
    if (decoded.kind !== 'event') throw new Error(JSON.stringify(decoded));
    expect(decoded.event.repository).toEqual({ id: '55120987', owner: 'acme/platform', name: 'web', private: false });
    expect(decoded.event.build).toMatchObject({ id: '9007199254740993', status: 'running', state: 'running', branch: 'main', title: 'Fix the flaky checkout test', url: 'https://gitlab.com/acme/platform/web/-/pipelines/9007199254740993' });
    expect(decoded.event.task).toEqual({
      id: '8120400055', name: 'unit tests', status: 'failed', previousStatus: null, state: 'failed', url: 'https://gitlab.com/acme/platform/web/-/jobs/8120400055',
      // GitLab's own reason; the log's last lines need its API.
      detail: { step: null, reason: 'script_failure', logTail: [], annotation: null },
    });
  });

  it('takes the pipeline from commit.id in older deliveries, on a self-managed host', () => {
    const decoded = decodeGitlabDelivery('Job Hook', fixture('job/created.without-pipeline-id.json'), context);
    if (decoded.kind !== 'event') throw new Error(JSON.stringify(decoded));
    expect(decoded.event).toMatchObject({ action: 'created', repository: { owner: 'tools', name: 'packager', private: true }, build: { id: '2366', url: 'https://gitlab.example.com/tools/packager/-/pipelines/2366' }, task: { id: '1977', state: 'queued' } });
  });
});

describe('a job of a merge request pipeline', () => {
  it('names no branch (its ref names the merge request) and takes the iid as the pull request', () => {
    const decoded = decodeGitlabDelivery('Job Hook', { ...(fixture('job/failed.json') as object), ref: 'refs/merge-requests/87/head' }, context);
    expect(decoded.kind === 'event' && decoded.event.build).toMatchObject({ branch: null, pullRequest: 87 });
  });
});

describe('a pipeline blocked on a manual job', () => {
  it('says it left running, so a running pipeline may move to waiting for approval', () => {
    const pipeline = fixture('pipeline/failed.merge-request.json') as { object_attributes: object };
    const decoded = decodeGitlabDelivery('Pipeline Hook', { ...pipeline, object_attributes: { ...pipeline.object_attributes, status: 'manual' } }, context);
    expect(decoded.kind === 'event' && decoded.event.build).toMatchObject({ status: 'manual', previousStatus: 'running', state: 'needs_approval' });
    const job = decodeGitlabDelivery('Job Hook', { ...(fixture('job/failed.json') as object), build_status: 'manual', commit: { id: 1, status: 'manual' } }, context);
    expect(job.kind === 'event' && job.event.build).toMatchObject({ status: 'manual', previousStatus: 'running', state: 'needs_approval' });
    expect(decodeGitlabDelivery('Pipeline Hook', pipeline, context)).toMatchObject({ event: { build: { previousStatus: null } } });
  });
});

describe('what is refused or ignored', () => {
  it.each([
    ['a job body sent as a pipeline hook', 'Pipeline Hook', fixture('job/failed.json'), /object_kind/],
    ['a pipeline body sent as a job hook', 'Job Hook', fixture('pipeline/failed.merge-request.json'), /object_kind/],
    ['a job that names no pipeline', 'Job Hook', { ...(fixture('job/failed.json') as object), pipeline_id: null, commit: { message: 'x' } }, /pipeline_id/],
    ['a path_with_namespace that is not a path', 'Pipeline Hook', withProject({ path_with_namespace: 'no-slash' }), /project path/],
    ['a 1 MB project name', 'Pipeline Hook', withProject({ path_with_namespace: `acme/${'x'.repeat(1024 * 1024)}` }), /path_with_namespace/],
    ['a project homepage that is not a project', 'Job Hook', { ...(fixture('job/failed.json') as object), repository: { homepage: 'https://gitlab.com/' } }, /homepage/],
    ['a job id that is not a number', 'Job Hook', { ...(fixture('job/failed.json') as object), build_id: 'abc' }, /build_id/],
    ['a negative pipeline id', 'Pipeline Hook', { ...(fixture('pipeline/failed.merge-request.json') as { object_attributes: object }), object_attributes: { ...(fixture('pipeline/failed.merge-request.json') as { object_attributes: object }).object_attributes, id: -1 } }, /object_attributes\.id/],
    ['an unknown status', 'Job Hook', { ...(fixture('job/failed.json') as object), build_status: 'exploded' }, /build_status/],
    ['no project', 'Pipeline Hook', { ...(fixture('pipeline/failed.merge-request.json') as object), project: undefined }, /project/],
  ])('refuses %s with a message naming the field', (_what, eventType, body, message) => {
    const decoded = decodeGitlabDelivery(eventType, body, context);
    expect(decoded.kind).toBe('invalid');
    expect((decoded as { message: string }).message).toMatch(message);
  });

  it('acknowledges other GitLab events without storing them', () => {
    expect(decodeGitlabDelivery('Push Hook', { object_kind: 'push' }, context)).toEqual({ kind: 'ignored' });
    expect(decodeGitlabDelivery('System Hook', {}, context)).toEqual({ kind: 'ignored' });
  });
});

describe('statuses', () => {
  it('map every GitLab status, and a failure allowed to fail does not fail', () => {
    const states = Object.fromEntries(gitlabStatusSchema.options.map((status) => [status, gitlabPipelineState(status)]));
    expect(states).toEqual({
      created: 'queued', waiting_for_resource: 'queued', preparing: 'queued', pending: 'queued', scheduled: 'queued',
      running: 'running', waiting_for_callback: 'running', success: 'passed', failed: 'failed',
      canceled: 'aborted', canceling: 'aborted', skipped: 'aborted', manual: 'needs_approval',
    });
    expect(gitlabJobState('failed', true)).toBe('skipped');
    expect(gitlabJobState('skipped')).toBe('skipped');
  });
});

describe('the provider', () => {
  const provider = createGitlabWebhooks(() => 1_700_000_000_000);
  const body = Buffer.from('{"object_kind":"pipeline"}');

  it('checks the token, and a Standard Webhooks signature where one is sent', () => {
    expect(provider.verifySignature(body, { 'x-gitlab-token': 'the-channel-secret' }, 'the-channel-secret')).toBe(true);
    expect(provider.verifySignature(body, { 'x-gitlab-token': 'the-channel' }, 'the-channel-secret')).toBe(false);
    expect(provider.verifySignature(body, {}, 'the-channel-secret')).toBe(false);
    const signed = { 'x-gitlab-token': 'the-channel-secret', 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': signStandardWebhook('msg_1', 1_700_000_000, body, 'the-channel-secret') };
    expect(provider.verifySignature(body, signed, 'the-channel-secret')).toBe(true);
    expect(provider.verifySignature(Buffer.from('{}'), signed, 'the-channel-secret')).toBe(false);
    expect(provider.verifySignature(body, { ...signed, 'webhook-signature': undefined }, 'the-channel-secret')).toBe(false);
  });

  it('drops retries by Idempotency-Key, kept apart from other providers\' delivery ids', () => {
    expect(provider.deliveryId({ 'idempotency-key': 'f1b2c3' })).toBe('gitlab:f1b2c3');
    expect(provider.deliveryId({ 'idempotency-key': 'x'.repeat(101) })).toBeUndefined();
    expect(provider.deliveryId({})).toBeUndefined();
  });
});

function withProject(project: Record<string, unknown>): unknown {
  const pipeline = fixture('pipeline/failed.merge-request.json') as { project: object };
  return { ...pipeline, project: { ...pipeline.project, ...project } };
}
