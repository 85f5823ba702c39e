/**
 * The GitHub simulator POSTs signed deliveries to a real relay channel and a desktop client reads
 * them from the stream: the path the end-to-end desktop test takes for the GitHub provider.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { startGithubSimulator, type GithubSimulator } from '../../src/sim/github/simulator.js';
import { makeTempDir } from '../support/temp.js';
import { seedRelayDatabase, StreamRecorder, TEST_SECRET } from '../support/relay.js';

const temp = makeTempDir();
const seeded = seedRelayDatabase(temp.dir);
let relay: Relay;
let sim: GithubSimulator;

beforeAll(async () => {
  relay = await startRelay({ database: seeded.file, port: 0 });
  sim = await startGithubSimulator({ relay: { url: `${relay.url}/hooks/acme`, secret: TEST_SECRET }, scenario: false, autoAdvance: false, api: false });
});

afterAll(async () => {
  await sim.stop();
  await relay.close();
  temp.remove();
});

it('streams a failing run and a fork run awaiting approval, exactly as the simulator saw them', async () => {
  const { token } = seeded.issueToken(['acme/*']);
  const client = await StreamRecorder.connect(relay.url, token);
  const seen: string[] = [];
  sim.onEvent(({ event }) => seen.push(`${event.kind}:${event.build.id}:${event.task?.id ?? ''}:${event.build.state}`));
  const failing = sim.startRun({ repository: 'acme/web', fail: true });
  const fork = sim.startRun({ repository: 'acme/api', fork: true });
  sim.advance(60_000);
  await sim.deliveriesSettled();
  await client.waitForEvents(seen.length);
  const streamed = client.events.map(({ event }) => `${event.kind}:${event.build.id}:${event.task?.id ?? ''}:${event.build.state}`);
  expect(streamed).toEqual(seen);
  const states = (id: number) => client.events.filter(({ event }) => event.kind === 'build' && event.build.id === String(id)).map(({ event }) => event.build.state);
  expect(states(failing.id).at(-1)).toBe('failed');
  expect(states(fork.id)).toEqual(['queued', 'needs_approval']);
  expect(client.events.every(({ event }) => event.provider === 'github')).toBe(true);
  // The failed job's step travels with it: stored by the relay and streamed as part of the event.
  const failedJob = client.events.find(({ event }) => event.build.id === String(failing.id) && event.task?.state === 'failed');
  expect(failedJob?.event.task?.detail).toEqual({ step: expect.stringMatching(/^Run /), reason: null, logTail: [], annotation: null });
  client.close();
});
