/**
 * The GitLab simulator POSTs its hooks to a real relay channel (the channel's secret in
 * X-Gitlab-Token) and a desktop client reads them from the stream: every delivery stored once
 * (a retry with the same Idempotency-Key is a duplicate), in order, exactly as the simulator saw it.
 */
import { expect, it } from 'vitest';
import type { FetchLike } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator } from '../../src/sim/gitlab/simulator.js';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';

const served = useRelay();

it('streams a failing pipeline and one waiting on a manual job, exactly as the simulator saw them', async () => {
  // Every request the simulator sends, kept to send one again as GitLab retries it.
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const recording: FetchLike = (url, init) => {
    sent.push({ url, init });
    return fetch(url, init);
  };
  const sim = await startGitlabSimulator({ relay: { url: `${served.relay.url}/hooks/acme`, secret: TEST_SECRET }, scenario: false, autoAdvance: false, api: false, fetch: recording });
  const { token } = served.seeded.issueToken(['acme/**']);
  const client = await StreamRecorder.connect(served.relay.url, token);
  try {
    const seen: string[] = [];
    const describe = (event: { kind: string; build: { id: string; state: string }; task: { id: string } | null; repository: { owner: string; name: string } }) =>
      `${event.repository.owner}/${event.repository.name} ${event.kind}:${event.build.id}:${event.task?.id ?? ''}:${event.build.state}`;
    sim.onEvent(({ event }) => seen.push(describe(event)));
    const failing = sim.startPipeline({ project: 'acme/platform/api', fail: true });
    const manual = sim.startPipeline({ project: 'acme/web', manual: true, fail: false });
    sim.advance(60_000);
    await sim.deliveriesSettled();
    await client.waitForEvents(seen.length);
    expect(client.events.map(({ event }) => describe(event))).toEqual(seen);
    const states = (id: number) => client.events.filter(({ event }) => event.kind === 'build' && event.build.id === String(id)).map(({ event }) => event.build.state);
    expect(states(failing.id).at(-1)).toBe('failed');
    expect(states(manual.id).at(-1)).toBe('needs_approval');
    expect(client.events.every(({ event }) => event.provider === 'gitlab')).toBe(true);
    const failedTask = client.events.find(({ event }) => event.task?.state === 'failed')!.event.task!;
    expect(failedTask.url).toMatch(/^https:\/\/gitlab\.com\/acme\/platform\/api\/-\/jobs\/\d+$/);

    // GitLab retries a delivery with the same Idempotency-Key: stored once.
    const again = sent.at(-1)!;
    expect((again.init.headers as Record<string, string>)['x-gitlab-token']).toBe(TEST_SECRET);
    const answer = await fetch(again.url, again.init);
    expect(await answer.json()).toMatchObject({ status: 'duplicate' });
  } finally {
    client.close();
    await sim.stop();
  }
});
