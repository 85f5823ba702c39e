/**
 * GitLab's real deliveries (`fixtures/gitlab/` of the conformance folder): every one parses and
 * normalises to what a user should see, a real relay stores and streams them, and the simulator's
 * hooks have every field they have, with the same JSON types.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../src/core/event.js';
import { decodeGitlabDelivery } from '../../src/providers/gitlab/webhooks.js';
import { startGitlabSimulator, type GitlabSimEvent } from '../../src/sim/gitlab/simulator.js';
import { shapeDifferences } from '../support/payloadShape.js';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';
import { conformanceDir, upstreamFixture, upstreamJson } from './upstream.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
const EVENT_TYPES = { pipeline: 'Pipeline Hook', job: 'Job Hook' } as const;

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeGitlabDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

describe('every delivery in fixtures/gitlab parses and normalises', () => {
  for (const [folder, eventType] of Object.entries(EVENT_TYPES)) {
    for (const file of readdirSync(path.join(conformanceDir, 'fixtures', 'gitlab', folder)).filter((name) => name.endsWith('.json'))) {
      it(`${folder}/${file}`, () => {
        const event = decodeEvent(eventType, upstreamJson(`gitlab/${folder}/${file}`));
        expect(event.provider).toBe('gitlab');
        expect(event.kind).toBe(folder === 'pipeline' ? 'build' : 'task');
        expect(event.repository).toMatchObject({ owner: 'gitlab-org', name: 'gitlab-test' });
      });
    }
  }

  it('reads the pipeline, its project and its page as GitLab documents them', () => {
    const event = decodeEvent('Pipeline Hook', upstreamJson('gitlab/pipeline/success.json'));
    expect(event.build).toMatchObject({ id: '31', status: 'success', state: 'passed', branch: 'master', initiator: 'root', url: 'http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/31' });
    expect(event.repository.private).toBe(false);
  });

  it('takes an older job delivery\'s pipeline from commit.id', () => {
    const event = decodeEvent('Job Hook', upstreamJson('gitlab/job/created.json'));
    expect(event.build).toMatchObject({ id: '2366', url: 'http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/2366' });
    expect(event.task).toMatchObject({ id: '1977', name: 'test', state: 'queued', url: 'http://192.168.64.1:3005/gitlab-org/gitlab-test/-/jobs/1977' });
  });
});

describe('the real deliveries through a real relay', () => {
  const served = useRelay();

  it('stores and streams each, with the token GitLab sends', async () => {
    const client = await StreamRecorder.connect(served.relay.url, served.seeded.issueToken().token, 0);
    for (const [file, eventType] of [['pipeline/success.json', 'Pipeline Hook'], ['job/created.json', 'Job Hook']] as const) {
      const response = await fetch(`${served.relay.url}/hooks/acme`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-event': eventType, 'x-gitlab-token': TEST_SECRET },
        body: new Uint8Array(upstreamFixture(`gitlab/${file}`)),
      });
      expect(response.status).toBe(200);
    }
    await client.waitFor(() => client.events.length >= 2);
    client.close();
    expect(client.events.map((frame) => frame.event.provider)).toEqual(['gitlab', 'gitlab']);
  });
});

describe('the simulator against the real deliveries', () => {
  it('sends every field the real Pipeline Hook and Job Hook have, with the same types', async () => {
    const sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, api: false });
    const hooks: GitlabSimEvent[] = [];
    sim.onEvent((hook) => hooks.push(hook));
    try {
      sim.startPipeline({ project: 'acme/web', fail: false, manual: true });
      sim.advance(60_000);
      const bodies = (type: string) => hooks.filter((hook) => hook.eventType === type).map((hook) => JSON.parse(hook.body) as Record<string, unknown>);
      // The real pipeline has finished with a skipped manual job; compare with the simulator's latest, whose builds are all there.
      const pipeline = bodies('Pipeline Hook').at(-1)!;
      const job = bodies('Job Hook').find((body) => body['build_status'] === 'created')!;
      expect(shapeDifferences(upstreamJson('gitlab/pipeline/success.json'), pipeline)).toEqual([]);
      expect(shapeDifferences(upstreamJson('gitlab/job/created.json'), job)).toEqual([]);
      for (const hook of hooks) expect(decodeGitlabDelivery(hook.eventType, JSON.parse(hook.body), context).kind).toBe('event');
    } finally {
      await sim.stop();
    }
  });
});
