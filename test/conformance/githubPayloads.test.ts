/**
 * GitHub's documented example deliveries (octokit/webhooks examples, `fixtures/github/` of the
 * conformance folder): every one parses and normalises, to exactly what a user should see, and a
 * real relay stores and streams them.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../src/core/event.js';
import { signGithubPayload } from '../../src/providers/github/signature.js';
import { decodeGithubDelivery } from '../../src/providers/github/webhooks.js';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';
import { conformanceDir, upstreamFixture, upstreamJson } from './upstream.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
const fixture = (name: string) => upstreamJson(`github/${name}.payload.json`);

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeGithubDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

const octoRepo = { id: '300029405', owner: 'octo-org', name: 'octo-repo', private: false };
// The example payload disagrees with itself (owner.login Octocoders, full_name Codertocat/...);
// owner.login is the field the normaliser reads, as real payloads always agree.
const helloWorld = { id: '186853002', owner: 'Octocoders', name: 'Hello-World', private: false };

describe('every example in fixtures/github parses and normalises', () => {
  for (const eventType of ['workflow_run', 'workflow_job']) {
    const folder = path.join(conformanceDir, 'fixtures', 'github', eventType);
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
      it(`${eventType}/${file}`, () => {
        const event = decodeEvent(eventType, fixture(`${eventType}/${file.replace(/\.payload\.json$/, '')}`));
        expect(event.provider).toBe('github');
        expect(event.kind).toBe(eventType === 'workflow_run' ? 'build' : 'task');
        expect(new URL(event.build.url).protocol).toBe('https:');
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
      repository: octoRepo,
      build: {
        id: '289782451',
        status: 'queued',
        previousStatus: null,
        state: 'queued',
        branch: 'master',
        sha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
        title: 'ci(action): update actions/setup-node digest to 8c91899',
        pullRequest: null,
        initiator: 'Codertocat',
        url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
        changedAt: Date.parse('2020-10-05T16:32:07Z'),
      },
      task: null,
    });
  });

  it('reads the conclusion of a completed run', () => {
    const event = decodeEvent('workflow_run', fixture('workflow_run/completed'));
    expect(event.action).toBe('updated');
    expect(event.build).toMatchObject({ status: 'completed', state: 'passed', pullRequest: null });
  });

  it('takes the pull request number when there is one', () => {
    expect(decodeEvent('workflow_run', fixture('workflow_run/completed.with-pull-requests')).build.pullRequest).toBe(2);
  });

  it.each([
    ['failure', 'failed'],
    ['cancelled', 'aborted'],
    ['timed_out', 'failed'],
    ['action_required', 'needs_approval'],
    ['skipped', 'aborted'],
    ['neutral', 'passed'],
    ['stale', 'aborted'],
  ])('a run completed with %s is %s', (conclusion, state) => {
    const body = fixture('workflow_run/completed');
    const run = { ...(body['workflow_run'] as object), conclusion };
    expect(decodeEvent('workflow_run', { ...body, workflow_run: run }).build.state).toBe(state);
  });

  it('says a re-run attempt left "completed", so the engine takes it over the finished attempt', () => {
    const body = fixture('workflow_run/requested');
    const rerun = { ...(body['workflow_run'] as object), run_attempt: 2 };
    expect(decodeEvent('workflow_run', { ...body, workflow_run: rerun }).build.previousStatus).toBe('completed');
  });

  it('falls back to the commit subject, then the workflow name, for the title', () => {
    const body = fixture('workflow_run/completed');
    const run = body['workflow_run'] as Record<string, unknown>;
    expect(decodeEvent('workflow_run', { ...body, workflow_run: { ...run, display_title: null } }).build.title)
      .toBe('build(test): check workflow run event payload');
    expect(decodeEvent('workflow_run', { ...body, workflow_run: { ...run, display_title: null, head_commit: null, name: 'CI' } }).build.title)
      .toBe('CI');
  });
});

describe('workflow_job is the task', () => {
  it('normalises a failed job with its own link, as a task of its run', () => {
    const event = decodeEvent('workflow_job', fixture('workflow_job/completed.failure.with-organization'));
    expect(event.repository).toEqual(helloWorld);
    expect(event.task).toEqual({
      id: '289782451',
      name: 'linters',
      status: 'completed',
      previousStatus: null,
      state: 'failed',
      url: 'https://github.com/octo-org/octo-repo/runs/1291536064',
      // The real delivery's steps name the one that failed.
      detail: { step: 'Run yarn run format-check', reason: null, logTail: [], annotation: null },
    });
    // A finished job does not finish its run: the run is still in progress as far as this says.
    expect(event.build).toMatchObject({ id: '2202229078', status: 'in_progress', state: 'running', title: null, initiator: null });
    expect(event.build.url).toBe('https://github.com/Codertocat/Hello-World/actions/runs/2202229078');
  });

  it.each([
    ['queued', 'created', 'queued', 'queued'],
    ['in_progress', 'updated', 'running', 'running'],
    ['completed.success.with-organization', 'updated', 'passed', 'running'],
  ])('%s: action %s, task %s, build %s', (name, action, taskState, buildState) => {
    const event = decodeEvent('workflow_job', fixture(`workflow_job/${name}`));
    expect(event.action).toBe(action);
    expect(event.task?.state).toBe(taskState);
    expect(event.build.state).toBe(buildState);
  });

  it('makes a job waiting on an environment a build that needs approval', () => {
    const event = decodeEvent('workflow_job', fixture('workflow_job/waiting'));
    expect(event.task).toMatchObject({ name: 'test', status: 'waiting', state: 'needs_approval' });
    expect(event.build).toMatchObject({ id: '4747967848', status: 'waiting', previousStatus: 'in_progress', state: 'needs_approval' });
    expect(event.task?.url).toBe('https://github.com/lineville/elastic-machines-testing/actions/runs/4747967848/jobs/8433573014');
  });
});

describe('a relay and the examples', () => {
  const served = useRelay();

  it('stores and streams the signed workflow_run and workflow_job examples as GitHub events', async () => {
    const { token } = served.seeded.issueToken();
    const client = await StreamRecorder.connect(served.relay.url, token);
    const sent = [
      ['workflow_run', 'workflow_run/requested'],
      ['workflow_job', 'workflow_job/queued'],
      ['workflow_job', 'workflow_job/completed.failure.with-organization'],
      ['workflow_run', 'workflow_run/completed.with-pull-requests'],
    ] as const;
    for (const [event, name] of sent) {
      const body = upstreamFixture(`github/${name}.payload.json`);
      const response = await fetch(`${served.relay.url}/hooks/acme`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': signGithubPayload(body, TEST_SECRET),
        },
        body: new Uint8Array(body),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'stored', seq: expect.any(Number) });
    }
    await client.waitForEvents(sent.length);
    expect(client.events.map((frame) => [frame.event.provider, frame.event.kind, frame.event.build.state])).toEqual([
      ['github', 'build', 'queued'],
      ['github', 'task', 'queued'],
      ['github', 'task', 'running'],
      ['github', 'build', 'passed'],
    ]);
    expect(client.events[3]!.event.build).toMatchObject({ pullRequest: 2, url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451' });
    client.close();
  });
});
