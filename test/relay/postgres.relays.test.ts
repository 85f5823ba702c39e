/**
 * Several relays on one PostgreSQL database (issue 15): deliveries posted to either reach the
 * clients of both, once each, in one seq order; a delivery sent to both is stored once; an admin
 * change reaches both; an unreachable database gets 503, never a 2xx it did not commit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCursor } from '../../src/client/sources/relay/cursorFile.js';
import { createRelaySource } from '../../src/client/sources/relay/relayClient.js';
import { streamUrl } from '../../src/client/sources/relay/streamUrl.js';
import { silentLogger } from '../../src/core/ports.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { openStorage } from '../../src/relay/storage/openStorage.js';
import { readMetric, TEST_METRICS_TOKEN } from '../support/metrics.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { buildDelivery, postDelivery, StreamRecorder, TEST_SECRET } from '../support/relay.js';

let postgres: TestPostgres;
const running: Relay[] = [];
const clients: StreamRecorder[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const relay of running.splice(0)) await relay.close();
});

afterAll(async () => {
  await postgres?.stop();
});

/** A database with channel `acme`, and a function that issues tokens on it. */
async function seededDatabase() {
  const url = await postgres.createDatabase();
  const admin = await openStorage(url);
  await admin.upsertChannel('acme', TEST_SECRET, Date.now());
  const token = (await admin.issueToken('acme', 'test', [], Date.now())).token;
  await admin.close();
  return { url, token };
}

async function relayOn(url: string, instanceName?: string): Promise<Relay> {
  const relay = await startRelay({ database: url, port: 0, adminPollMs: 100, rateLimits: null, metricsToken: TEST_METRICS_TOKEN, instanceName });
  running.push(relay);
  return relay;
}

async function clientOf(relay: Relay, token: string): Promise<StreamRecorder> {
  const client = await StreamRecorder.connect(relay.url, token, 0);
  clients.push(client);
  return client;
}

describe('two relays on one PostgreSQL database', () => {
  it('fan every delivery posted to either out to the clients of both, once, in one seq order', async () => {
    const { url, token } = await seededDatabase();
    const relays = [await relayOn(url), await relayOn(url)];
    const watchers = [await clientOf(relays[0]!, token), await clientOf(relays[1]!, token), await clientOf(relays[1]!, token)];
    const total = 2000;
    const acknowledged: number[] = [];
    for (let start = 0; start < total; start += 40) {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postDelivery(relays[(start + i) % 2]!.url, 'acme', buildDelivery('acme', 'web', start + i + 1))));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        acknowledged.push(answer.body['seq'] as number);
      }
    }
    for (const watcher of watchers) await watcher.waitFor(() => watcher.events.length >= total, 30_000);
    const expected = [...acknowledged].sort((a, b) => a - b);
    for (const watcher of watchers) expect(watcher.events.map((frame) => frame.seq)).toEqual(expected);
  }, 120_000);

  it('store a delivery sent to both once, and both answer 200 with its seq', async () => {
    const { url } = await seededDatabase();
    const [a, b] = [await relayOn(url), await relayOn(url)];
    const body = buildDelivery('acme', 'web', 77);
    const answers = await Promise.all([postDelivery(a.url, 'acme', body), postDelivery(b.url, 'acme', body)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(new Set(answers.map((answer) => answer.body['seq'])).size).toBe(1);
    expect(answers.map((answer) => answer.body['status']).sort()).toEqual(['duplicate', 'stored']);
  });

  it('carry an acknowledgement sent through one to the clients of the other, in seq order with events, and on resume', async () => {
    const { url } = await seededDatabase();
    const admin = await openStorage(url);
    const ana = (await admin.issueToken('acme', 'Ana', [], Date.now())).token;
    const bo = (await admin.issueToken('acme', 'Bo', ['acme/web'], Date.now())).token;
    const eve = (await admin.issueToken('acme', 'Eve', ['acme/api'], Date.now())).token;
    await admin.close();
    const [a, b] = [await relayOn(url), await relayOn(url)];
    const onA = await clientOf(a, ana);
    const onB = await clientOf(b, bo);
    const elsewhere = await clientOf(b, eve);
    const failed = (await postDelivery(b.url, 'acme', buildDelivery('acme', 'web', 90))).body['seq'] as number;
    await onA.waitForEvents(1);

    onA.socket.send(JSON.stringify({ type: 'acknowledge', ref: 'x', provider: 'cirrus', repository: 'acme/web', buildId: '90', active: true }));
    const acknowledgements = (client: StreamRecorder) => client.frames.flatMap((frame) => (frame.type === 'acknowledgement' ? [frame] : []));
    for (const client of [onA, onB]) await client.waitFor(() => acknowledgements(client).length === 1, 5000);
    expect(acknowledgements(onB)[0]).toMatchObject({ seq: failed + 1, acknowledgement: { by: 'Ana', buildId: '90', active: true, branch: 'main' } });
    await postDelivery(a.url, 'acme', buildDelivery('acme', 'api', 91));
    await elsewhere.waitForEvents(1);
    expect(acknowledgements(elsewhere)).toEqual([]);

    // Instance B replays it from the shared log to a client that resumes there.
    const resumed = await clientOf(b, bo);
    await resumed.waitFor(() => resumed.frames.some((frame) => frame.type === 'live'));
    expect(resumed.frames.flatMap((frame) => (frame.type === 'event' || frame.type === 'acknowledgement' ? [`${frame.type} ${frame.seq}`] : [])))
      .toEqual([`event ${failed}`, `acknowledgement ${failed + 1}`]);
  });

  it('each name themselves in their metrics, with their database connections', async () => {
    const { url } = await seededDatabase();
    const relays = [await relayOn(url, 'relay-a'), await relayOn(url, 'relay-b')];
    await postDelivery(relays[0]!.url, 'acme', buildDelivery('acme', 'web', 5));
    for (const [relay, name] of [[relays[0]!, 'relay-a'], [relays[1]!, 'relay-b']] as const) {
      const text = await (await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
      expect(text).toMatch(new RegExp(`^buildbell_database_connections\\{state="idle",instance="${name}"\\} \\d+$`, 'm'));
      expect(text).toMatch(new RegExp(`^buildbell_database_connections\\{state="waiting",instance="${name}"\\} 0$`, 'm'));
    }
    expect(await readMetric(relays[0]!.url, 'buildbell_events_stored_total')).toBe(1);
    expect(await readMetric(relays[1]!.url, 'buildbell_events_stored_total')).toBe(0);
  });

  it('close a revoked token\'s streams on every relay', async () => {
    const { url } = await seededDatabase();
    const admin = await openStorage(url);
    const issued = await admin.issueToken('acme', 'leaver', [], Date.now());
    const [a, b] = [await relayOn(url), await relayOn(url)];
    const onA = await clientOf(a, issued.token);
    const onB = await clientOf(b, issued.token);
    await admin.revokeToken(issued.info.id, Date.now());
    await admin.close();
    for (const client of [onA, onB]) await client.waitFor(() => client.closeCode !== undefined, 5000);
    expect([onA.closeCode, onB.closeCode]).toEqual([4001, 4001]);
  });
});

describe('a client of two relays on one database', () => {
  it('moves to the other instance when the one it uses goes away, resuming from its cursor: every delivery once', async () => {
    const { url, token } = await seededDatabase();
    const [a, b] = [await relayOn(url), await relayOn(url)];
    const seen: number[] = [];
    const connectedTo: string[] = [];
    const cursor = createMemoryCursor();
    const source = createRelaySource({
      urls: [streamUrl(a.url), streamUrl(b.url)],
      token,
      cursor,
      logger: silentLogger,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      handlers: {
        onEvent: (_event, meta) => seen.push(meta.seq),
        onCatchUp: () => {},
        onGap: () => {},
        onConnection: (connection) => connection.state === 'connected' && connectedTo.push(new URL(connection.url).port),
      },
    });
    await source.start();
    try {
      await expect.poll(() => connectedTo).toEqual([new URL(a.url).port]);
      for (let n = 1; n <= 20; n += 1) expect((await postDelivery(a.url, 'acme', buildDelivery('acme', 'web', n))).status).toBe(200);
      await expect.poll(() => seen.length).toBe(20);

      // A goes away (its clients see the close), while deliveries keep arriving through B.
      running.splice(running.indexOf(a), 1);
      await a.close();
      for (let n = 21; n <= 40; n += 1) expect((await postDelivery(b.url, 'acme', buildDelivery('acme', 'web', n))).status).toBe(200);
      // On B at once (the backoff is a minute: only the move to the next instance is immediate), from the cursor.
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(40);
      expect(connectedTo).toEqual([new URL(a.url).port, new URL(b.url).port]);
      expect(new Set(seen).size).toBe(40);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
    } finally {
      await source.stop();
    }
  });
});

describe('a relay whose PostgreSQL goes away', () => {
  it('answers 503 while the database is down, says so on /healthz, and stores again once it is back', async () => {
    const own = await startTestPostgres();
    try {
      const url = await own.createDatabase();
      const admin = await openStorage(url);
      await admin.upsertChannel('acme', TEST_SECRET, Date.now());
      await admin.close();
      const relay = await relayOn(url);
      expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 1))).status).toBe(200);
      const restarting = own.restart(1500);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const during = await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 2));
      expect(during.status).toBe(503);
      expect((await fetch(`${relay.url}/healthz`)).status).toBe(503);
      await restarting;
      await expect.poll(async () => (await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 2))).status, { timeout: 15_000, interval: 250 }).toBe(200);
      expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
    } finally {
      for (const relay of running.splice(0)) await relay.close();
      await own.stop();
    }
  }, 60_000);
});
