/**
 * GitHub deliveries through POST /hooks/<channel> of a real relay on port 0 with a real SQLite
 * file: signed fixtures are stored and streamed, redeliveries dropped, ping acknowledged, form
 * encoding refused with the fix.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signGithubPayload } from '../../src/providers/github/signature.js';
import { fixtureBytes } from '../support/fixtures.js';
import { useRelay } from '../support/relayPerFile.js';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';

const served = useRelay();

interface GithubPost {
  readonly event: string;
  readonly delivery?: string;
  readonly signature?: string;
  readonly contentType?: string;
}

/** POSTs like GitHub does: X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256. */
async function postGithub(body: string | Buffer, options: GithubPost) {
  const response = await fetch(`${served.relay.url}/hooks/acme`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': options.event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-hub-signature-256': options.signature ?? signGithubPayload(body, TEST_SECRET),
    },
    body: new Uint8Array(Buffer.from(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const fixture = (name: string) => fixtureBytes(`github/${name}.json`);

describe('GitHub deliveries', () => {
  it('stores and streams the signed workflow_run and workflow_job fixtures as GitHub events', async () => {
    const { token } = served.seeded.issueToken();
    const client = await StreamRecorder.connect(served.relay.url, token);
    const sent = [
      ['workflow_run', 'workflow_run/requested'],
      ['workflow_job', 'workflow_job/queued'],
      ['workflow_job', 'workflow_job/completed.failure'],
      ['workflow_run', 'workflow_run/completed.with-pull-request'],
    ] as const;
    for (const [event, name] of sent) {
      const answer = await postGithub(fixture(name), { event });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'stored', seq: expect.any(Number) });
    }
    await client.waitForEvents(sent.length);
    expect(client.events.map((frame) => [frame.event.provider, frame.event.kind, frame.event.build.state])).toEqual([
      ['github', 'build', 'queued'],
      ['github', 'task', 'queued'],
      ['github', 'task', 'running'],
      ['github', 'build', 'passed'],
    ]);
    expect(client.events[2]!.event.task).toMatchObject({ state: 'failed', name: 'test (arm64)' });
    expect(client.events[3]!.event.build).toMatchObject({ pullRequest: 7, url: 'https://github.com/acme/widgets/actions/runs/4711000101' });
    client.close();
  });

  it('drops a redelivery (same X-GitHub-Delivery) and answers it 200', async () => {
    const delivery = randomUUID();
    const first = await postGithub(fixture('workflow_job/in_progress'), { event: 'workflow_job', delivery });
    const again = await postGithub(fixture('workflow_job/in_progress'), { event: 'workflow_job', delivery });
    expect(first.body['status']).toBe('stored');
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', seq: first.body['seq'] } });
  });

  it('answers the same signed body under a new delivery id as a duplicate: the id header is not signed', async () => {
    const first = await postGithub(fixture('workflow_job/waiting'), { event: 'workflow_job' });
    const replays = await Promise.all([1, 2, 3].map(() => postGithub(fixture('workflow_job/waiting'), { event: 'workflow_job' })));
    for (const replay of replays) expect(replay.body).toEqual({ status: 'duplicate', seq: first.body['seq'] });
  });

  it('answers ping with a 2xx and stores nothing', async () => {
    const answer = await postGithub(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 42 }), { event: 'ping' });
    expect(answer.status).toBe(202);
  });

  it('refuses a form-encoded body with 415, saying to choose application/json', async () => {
    const body = `payload=${encodeURIComponent(fixture('workflow_run/completed.success').toString('utf8'))}`;
    const answer = await postGithub(body, { event: 'workflow_run', contentType: 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(415);
    expect(answer.body['error']).toMatch(/choose the content type application\/json/);
  });

  it.each([
    ['a signature under another secret', signGithubPayload('{}', 'wrong')],
    ['the Cirrus form (no sha256= prefix)', signGithubPayload('x', TEST_SECRET).slice('sha256='.length)],
    ['an empty signature', ''],
  ])('refuses %s with 401', async (_case, signature) => {
    const answer = await postGithub(fixture('workflow_run/completed.success'), { event: 'workflow_run', signature });
    expect(answer.status).toBe(401);
    expect(answer.body['error']).toMatch(/github/);
  });

  it('refuses a signed payload that is not a workflow_run with 422 naming the field', async () => {
    const answer = await postGithub(JSON.stringify({ action: 'completed', workflow_run: {} }), { event: 'workflow_run' });
    expect(answer.status).toBe(422);
    expect(answer.body['error']).toMatch(/workflow_run\.id/);
  });
});
