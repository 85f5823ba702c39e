/**
 * "I'm on it" through a real relay (issue #17): real SQLite file, real sockets. An acknowledgement
 * reaches everyone whose token sees the repository, with the sender's label, and no one else; it
 * is resumed in seq order with events; every refusal is an error frame that stores nothing; a
 * flood is cut off without slowing the relay for anyone else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { readMetric, TEST_METRICS_TOKEN } from '../support/metrics.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { acknowledgementsOf, errorFor, errorsOf, issueLabelled, pause, sendAcknowledge, storedAcknowledgements, waitLive } from './acknowledging.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const temp = makeTempDir();
  const seeded = seedRelayDatabase(temp.dir);
  const relay = await startRelay({ database: seeded.file, port: 0, rateLimits: null, metricsToken: TEST_METRICS_TOKEN });
  cleanups.push(() => temp.remove(), () => relay.close());
  return { relay, file: seeded.file };
}

async function connect(relay: Relay, token: string, after?: number) {
  const client = await StreamRecorder.connect(relay.url, token, after);
  cleanups.push(() => client.close());
  await waitLive(client);
  return client;
}

async function post(relay: Relay, repo: string, buildId: number, status = 'FAILED'): Promise<number> {
  const answer = await postDelivery(relay.url, 'acme', buildDelivery('acme', repo, buildId, status));
  expect(answer.status).toBe(200);
  return answer.body['seq'] as number;
}

describe('acknowledgements', () => {
  it('reach every client of the repository with the sender\'s label, and a withdrawal does too', async () => {
    const { relay, file } = await setup();
    const ana = await connect(relay, issueLabelled(file, 'Ana'));
    const bo = await connect(relay, issueLabelled(file, 'Bo', ['acme/*']));
    expect(ana.frames[0]).toMatchObject({ type: 'hello', label: 'Ana' });
    const failed = await post(relay, 'web', 1);

    sendAcknowledge(ana, 'acme/web', 1);
    for (const client of [ana, bo]) await client.waitFor(() => acknowledgementsOf(client).length === 1);
    const [onIt] = acknowledgementsOf(bo);
    expect(onIt).toEqual({
      type: 'acknowledgement',
      seq: failed + 1,
      acknowledgement: { provider: 'cirrus', repository: { id: '1003', owner: 'acme', name: 'web', private: false }, buildId: '1', branch: 'main', by: 'Ana', active: true, at: expect.any(Number) },
    });
    expect(acknowledgementsOf(ana)).toEqual([onIt]);

    sendAcknowledge(ana, 'acme/web', 1, false);
    for (const client of [ana, bo]) await client.waitFor(() => acknowledgementsOf(client).length === 2);
    expect(acknowledgementsOf(bo)[1]).toMatchObject({ seq: failed + 2, acknowledgement: { by: 'Ana', active: false } });
    expect(errorsOf(ana)).toEqual([]);
    expect(storedAcknowledgements(file)).toBe(2);
    expect(await readMetric(relay.url, 'buildbell_acknowledgements_stored_total')).toBe(2);
  });

  it('take only a failed or errored build as "on it", and a withdrawal of any build seen', async () => {
    const { relay, file } = await setup();
    const ana = await connect(relay, issueLabelled(file, 'Ana'));
    await post(relay, 'web', 2, 'COMPLETED');
    await post(relay, 'web', 3, 'ERRORED');
    // A build that failed and then passed on a re-run: its latest state counts.
    await post(relay, 'web', 4, 'FAILED');
    await post(relay, 'web', 4, 'COMPLETED');

    const passed = await errorFor(ana, sendAcknowledge(ana, 'acme/web', 2));
    expect(passed).toMatchObject({ code: 'not_failed', message: expect.stringContaining('passed') });
    expect((await errorFor(ana, sendAcknowledge(ana, 'acme/web', 4))).code).toBe('not_failed');
    sendAcknowledge(ana, 'acme/web', 3);
    sendAcknowledge(ana, 'acme/web', 2, false);
    await ana.waitFor(() => acknowledgementsOf(ana).length === 2);
    expect(acknowledgementsOf(ana).map((frame) => [frame.acknowledgement.buildId, frame.acknowledgement.active])).toEqual([['3', true], ['2', false]]);
    expect(storedAcknowledgements(file)).toBe(2);
  });

  it('of a repository outside the token\'s scope are answered as a build never seen, and reach no one', async () => {
    const { relay, file } = await setup();
    const webOnly = await connect(relay, issueLabelled(file, 'Cy', ['acme/web']));
    const everything = await connect(relay, issueLabelled(file, 'Dee'));
    const apiOnly = await connect(relay, issueLabelled(file, 'Eve', ['acme/api']));
    await post(relay, 'api', 10);
    await post(relay, 'web', 11);

    const outOfScope = await errorFor(webOnly, sendAcknowledge(webOnly, 'acme/api', 10));
    const neverSeen = await errorFor(apiOnly, sendAcknowledge(apiOnly, 'acme/api', 12345));
    // The same code and words: nothing tells a stored build outside the scope from none at all.
    expect(outOfScope.code).toBe('unknown_build');
    expect(outOfScope.message.replace('10', 'N')).toBe(neverSeen.message.replace('12345', 'N'));
    // A build of the scope's repository under another repository's name is not found either.
    expect((await errorFor(webOnly, sendAcknowledge(webOnly, 'acme/web', 10))).code).toBe('unknown_build');
    expect(storedAcknowledgements(file)).toBe(0);

    // Eve may: Dee and Eve see it, Cy (acme/web only) never does.
    sendAcknowledge(apiOnly, 'acme/api', 10);
    await everything.waitFor(() => acknowledgementsOf(everything).length === 1);
    await apiOnly.waitFor(() => acknowledgementsOf(apiOnly).length === 1);
    await post(relay, 'web', 13);
    await webOnly.waitForEvents(2);
    expect(acknowledgementsOf(webOnly)).toEqual([]);
    expect(acknowledgementsOf(everything)[0]!.acknowledgement.by).toBe('Eve');
  });

  it('are replayed to a client that resumes, in seq order with the events', async () => {
    const { relay, file } = await setup();
    const ana = await connect(relay, issueLabelled(file, 'Ana'));
    const first = await post(relay, 'web', 20);
    sendAcknowledge(ana, 'acme/web', 20);
    await ana.waitFor(() => acknowledgementsOf(ana).length === 1);
    await post(relay, 'web', 21);
    sendAcknowledge(ana, 'acme/web', 20, false);
    await ana.waitFor(() => acknowledgementsOf(ana).length === 2);
    await post(relay, 'docs', 22);

    const token = issueLabelled(file, 'Bo');
    const fromStart = await connect(relay, token, 0);
    const kinds = fromStart.frames.map((frame) => (frame.type === 'event' || frame.type === 'acknowledgement' ? `${frame.type} ${frame.seq}` : frame.type));
    expect(kinds).toEqual(['hello', `event ${first}`, `acknowledgement ${first + 1}`, `event ${first + 2}`, `acknowledgement ${first + 3}`, `event ${first + 4}`, 'live']);
    // Resumed from just after the first acknowledgement: the rest, nothing before.
    const resumed = await connect(relay, token, first + 1);
    expect(resumed.frames.flatMap((frame) => ('seq' in frame ? [frame.seq] : []))).toEqual([first + 2, first + 3, first + 4]);
  });

  it('refuse a frame that names who sent it, or is not an acknowledge frame, saying what is wrong', async () => {
    const { relay, file } = await setup();
    const ana = await connect(relay, issueLabelled(file, 'Ana'));
    await post(relay, 'web', 30);
    const forged = await errorFor(ana, sendAcknowledge(ana, 'acme/web', 30, true, { by: 'Bo' }));
    expect(forged).toMatchObject({ code: 'invalid_frame', message: expect.stringContaining("'by'") });
    const label = await errorFor(ana, sendAcknowledge(ana, 'acme/web', 30, true, { label: 'Bo' }));
    expect(label.message).toContain("'label'");
    ana.socket.send('{"type":"subscribe","ref":"s1"}');
    expect((await errorFor(ana, 's1')).message).toContain('"subscribe"');
    ana.socket.send('not json');
    ana.socket.send(Buffer.from(JSON.stringify({ type: 'acknowledge', provider: 'cirrus', repository: 'acme/web', buildId: '30', active: true })), { binary: true });
    await ana.waitFor(() => errorsOf(ana).length === 5);
    expect(errorsOf(ana).slice(3).map((frame) => [frame.code, frame.ref])).toEqual([['invalid_frame', null], ['invalid_frame', null]]);
    expect(errorsOf(ana)[4]!.message).toContain('binary');
    expect(storedAcknowledgements(file)).toBe(0);
    const metrics = await (await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/^buildbell_client_frames_refused_total\{code="invalid_frame"[^}]*\} 5$/m);
  });

  it('close a frame over maxPayload with 1009, and the relay goes on', async () => {
    const { relay, file } = await setup();
    const ana = await connect(relay, issueLabelled(file, 'Ana'));
    const bo = await connect(relay, issueLabelled(file, 'Bo'));
    ana.socket.send(JSON.stringify({ type: 'acknowledge', provider: 'cirrus', repository: 'acme/web', buildId: 'x'.repeat(5000), active: true }));
    expect(await ana.waitForClose()).toBe(1009);
    await post(relay, 'web', 40);
    await bo.waitForEvents(1);
  });

  it('flooded at 1,000 frames a second: rate_limited, then 1008; only the allowed ones stored; others served meanwhile', async () => {
    const { relay, file } = await setup();
    const flooder = await connect(relay, issueLabelled(file, 'Flood'));
    const bystander = await connect(relay, issueLabelled(file, 'Bo'));
    await post(relay, 'web', 50);
    await bystander.waitForEvents(1);
    const started = Date.now();
    // 10 frames every 10 ms: 1,000 a second, valid ones, for as long as the socket is open.
    const flood = setInterval(() => {
      for (let i = 0; i < 10 && flooder.socket.readyState === WebSocket.OPEN; i += 1) sendAcknowledge(flooder, 'acme/web', 50, i % 2 === 0);
    }, 10);
    cleanups.push(() => clearInterval(flood));
    // A delivery during the flood reaches the bystander promptly.
    const latencies: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      const sentAt = Date.now();
      await post(relay, 'web', 60 + n);
      await bystander.waitForEvents(2 + n);
      latencies.push(Date.now() - sentAt);
      await pause(20);
    }
    expect(await flooder.waitForClose()).toBe(1008);
    clearInterval(flood);
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(Math.max(...latencies)).toBeLessThan(1000);

    const limited = errorsOf(flooder).filter((frame) => frame.code === 'rate_limited');
    // At most one a second: the flood lasted about 0.1 s past the burst.
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedSeconds));
    // The burst of 10, and at most one more a second.
    const stored = storedAcknowledgements(file);
    expect(stored).toBeGreaterThanOrEqual(10);
    expect(stored).toBeLessThanOrEqual(10 + Math.ceil(elapsedSeconds));
    await pause(100);
    expect(acknowledgementsOf(bystander).length).toBe(stored);
    // The relay still takes acknowledgements from others.
    sendAcknowledge(bystander, 'acme/web', 50);
    await bystander.waitFor(() => acknowledgementsOf(bystander).some((frame) => frame.acknowledgement.by === 'Bo'));
  });
});
