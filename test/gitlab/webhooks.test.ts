/**
 * GitLab deliveries against a real relay on port 0 and a real SQLite file: the token decides,
 * retries are dropped by Idempotency-Key (else by the body), other event types are acknowledged
 * and not stored, and a stored pipeline reaches a stream client as a normalised event.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';

const served = useRelay();

const fixture = (name: string) => readFileSync(new URL(`../fixtures/gitlab/${name}`, import.meta.url));

async function postGitlab(body: Buffer | string, headers: Record<string, string | undefined>) {
  const sent: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  const response = await fetch(`${served.relay.url}/hooks/acme`, { method: 'POST', headers: sent, body: new Uint8Array(Buffer.from(body)) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('GitLab deliveries', () => {
  it('stores a pipeline hook with the right token and streams it, ids past 2^53 kept', async () => {
    const client = await StreamRecorder.connect(served.relay.url, served.seeded.issueToken().token);
    const pipeline = await postGitlab(fixture('pipeline/failed.merge-request.json'), { 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-token': TEST_SECRET });
    expect(pipeline).toMatchObject({ status: 200, body: { status: 'stored' } });
    const job = await postGitlab(fixture('job/failed.json'), { 'x-gitlab-event': 'Job Hook', 'x-gitlab-token': TEST_SECRET });
    expect(job).toMatchObject({ status: 200, body: { status: 'stored' } });
    await client.waitFor(() => client.events.length >= 2);
    client.close();
    expect(client.events[0]!.event).toMatchObject({ provider: 'gitlab', kind: 'build', repository: { owner: 'acme/platform', name: 'web' }, build: { id: '1544210987', state: 'failed', pullRequest: 87 } });
    expect(client.events[1]!.event).toMatchObject({ provider: 'gitlab', kind: 'task', build: { id: '9007199254740993' }, task: { name: 'unit tests', state: 'failed' } });
  });

  it.each([
    ['no token', undefined],
    ['another token', 'not-the-channel-secret-at-all'],
    ['a token that is a prefix of the secret', TEST_SECRET.slice(0, -1)],
    ['the secret in capitals', TEST_SECRET.toUpperCase()],
  ])('refuses %s with 401 and stores nothing', async (_what, token) => {
    const answer = await postGitlab(fixture('job/failed.json'), { 'x-gitlab-event': 'Job Hook', 'x-gitlab-token': token });
    expect(answer.status).toBe(401);
  });

  it('drops a retry by its Idempotency-Key, and a retry without one by its body', async () => {
    const body = fixture('job/created.without-pipeline-id.json');
    const headers = { 'x-gitlab-event': 'Job Hook', 'x-gitlab-token': TEST_SECRET, 'idempotency-key': '6f1b5a0e-1f3c-4b0e-9b1e-0c9d7a2e4f11' };
    const first = await postGitlab(body, headers);
    const retry = await postGitlab(body, headers);
    expect(retry.body).toEqual({ status: 'duplicate', seq: first.body['seq'] });
    const again = await postGitlab(body, { ...headers, 'idempotency-key': undefined });
    expect(again.body).toEqual({ status: 'duplicate', seq: first.body['seq'] });
  });

  it('acknowledges other GitLab event types with 202 and stores nothing', async () => {
    const answer = await postGitlab(JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main' }), { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': TEST_SECRET });
    expect(answer).toEqual({ status: 202, body: { status: 'ignored', eventType: 'Push Hook' } });
  });

  it('answers 422 naming the field for a job hook carrying a pipeline body', async () => {
    const answer = await postGitlab(fixture('pipeline/failed.merge-request.json'), { 'x-gitlab-event': 'Job Hook', 'x-gitlab-token': TEST_SECRET });
    expect(answer.status).toBe(422);
    expect(String(answer.body['error'])).toMatch(/object_kind/);
  });
});
