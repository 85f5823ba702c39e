/**
 * The stream against a real relay: hello, replay then live with nothing twice or skipped, token
 * scopes, revocation, the gap frame, and a slow reader cut off while a fast one keeps up.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../../src/core/protocol.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { EventLog } from '../../src/relay/eventLog.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { readMetric, TEST_METRICS_TOKEN } from '../support/metrics.js';
import type { RelayOptionsInput } from '../../src/relay/options.js';
import { makeTempDir } from '../support/temp.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { acknowledgementsOf, sendAcknowledge, waitLive } from './acknowledging.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<RelayOptionsInput> = {}, clock?: () => number) {
  const temp = makeTempDir();
  const seeded = seedRelayDatabase(temp.dir);
  const relay = await startRelay({ database: seeded.file, port: 0, adminPollMs: 50, metricsToken: TEST_METRICS_TOKEN, ...options }, clock ? { clock } : {});
  cleanups.push(() => temp.remove(), () => relay.close());
  return { relay, seeded };
}

function connect(relay: Relay, token: string, after?: number, options: { batch?: boolean } = {}) {
  return StreamRecorder.connect(relay.url, token, after, options).then((client) => {
    cleanups.push(() => client.close());
    return client;
  });
}

/** The TCP socket under a client's WebSocket, to stop reading from it. */
function rawSocket(client: StreamRecorder): Socket {
  return (client.socket as unknown as { _socket: Socket })._socket;
}

/** The seqs from..from+count-1. */
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function postBuilds(relay: Relay, count: number, repo = 'web', firstId = 1) {
  for (let i = 0; i < count; i += 1) {
    const answer = await postDelivery(relay.url, 'acme', buildDelivery('acme', repo, firstId + i));
    expect(answer.status).toBe(200);
  }
}

describe('the stream', () => {
  it('refuses an upgrade without a valid token with 401, before accepting the socket', async () => {
    const { relay } = await setup();
    for (const headers of [{}, { authorization: 'Bearer bb_not-a-token' }, { authorization: 'Basic abc' }]) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${relay.url.replace('http', 'ws')}/stream`, { headers });
        socket.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
  });

  it('refuses a malformed cursor with 400', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    await expect(StreamRecorder.connect(relay.url, token, -1)).rejects.toThrow('400');
  });

  it('says hello with the protocol and head, then replays after the cursor, then goes live', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    await postBuilds(relay, 3);
    const client = await connect(relay, token, 1);
    expect(client.frames[0]).toEqual({ type: 'hello', protocol: 1, head: 3, label: 'test' });
    await client.waitForEvents(2);
    await postBuilds(relay, 2, 'web', 100);
    await client.waitForEvents(4);
    expect(client.events.map((frame) => frame.seq)).toEqual([2, 3, 4, 5]);
    expect(client.events.map((frame) => frame.event.build.id)).toEqual(['2', '3', '100', '101']);
    // The live frame marks the end of the replay: after seq 3, before the live seq 4.
    expect(client.frames.map((frame) => (frame.type === 'event' ? frame.seq : frame.type))).toEqual(['hello', 2, 3, 'live', 4, 5]);
    expect(client.frames[3]).toEqual({ type: 'live', cursor: 3 });
  });

  it('sends every frame as a text message, replayed and live', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    await postBuilds(relay, 1);
    const kinds: boolean[] = [];
    const socket = new WebSocket(`${relay.url.replace('http', 'ws')}/stream?after=0`, { headers: { authorization: `Bearer ${token}` } });
    cleanups.push(() => socket.terminate());
    socket.on('message', (_data, isBinary) => kinds.push(isBinary));
    await expect.poll(() => kinds.length).toBe(3); // hello, the replayed event, live
    await postBuilds(relay, 1, 'web', 9);
    await expect.poll(() => kinds.length).toBe(4);
    expect(kinds).toEqual([false, false, false, false]);
  });

  it('replays as batch frames to a client that asks (batch=1): the same frames, in order, then live ones alone', async () => {
    // Steps of 7 rows, so the replay takes several steps (and several batch frames).
    const { relay, seeded } = await setup({ replayBatchSize: 7 });
    const web = seeded.issueToken(['acme/web']);
    await postBuilds(relay, 8);
    await postBuilds(relay, 3, 'secret-project', 100);
    // An acknowledgement row in the middle of the log, seq 12.
    const acknowledger = await connect(relay, seeded.issueToken().token);
    sendAcknowledge(acknowledger, 'acme/web', 5);
    await acknowledger.waitFor(() => acknowledgementsOf(acknowledger).length === 1);
    await postBuilds(relay, 9, 'web', 200);
    await postBuilds(relay, 2, 'secret-project', 300);
    await postBuilds(relay, 1, 'web', 400);

    const single = await connect(relay, web.token, 0);
    const batched = await connect(relay, web.token, 0, { batch: true });
    await Promise.all([single, batched].map(waitLive));
    const liveAt = (client: StreamRecorder) => client.frames.findIndex((frame) => frame.type === 'live');
    // What the single-frame client got between hello and live: 18 web events and the acknowledgement.
    const replayed = single.texts.slice(1, liveAt(single));
    expect(replayed.map((text) => (JSON.parse(text) as { seq: number }).seq)).toEqual([...range(1, 8), 12, ...range(13, 9), 24]);
    expect(single.frames.some((frame) => frame.type === 'batch')).toBe(false);

    expect(batched.frames[0]).toEqual(single.frames[0]);
    const batches = batched.texts.slice(1, liveAt(batched));
    expect(batches.length).toBeGreaterThan(2);
    expect(batched.frames.slice(1, liveAt(batched)).every((frame) => frame.type === 'batch')).toBe(true);
    // Each item is the single frame's text itself, spliced in, and the items run in seq order.
    const open = '{"type":"batch","frames":[';
    expect(batches.every((text) => text.startsWith(open) && text.endsWith(']}'))).toBe(true);
    expect(batches.map((text) => text.slice(open.length, -2)).join(',')).toBe(replayed.join(','));
    expect(batches.flatMap((text) => (JSON.parse(text) as { frames: unknown[] }).frames)).toEqual(replayed.map((text) => JSON.parse(text) as unknown));
    expect(batched.frames[liveAt(batched)]).toEqual(single.frames[liveAt(single)]);

    // Live, every event goes alone, out of scope ones not at all.
    await postBuilds(relay, 1, 'secret-project', 500);
    await postBuilds(relay, 2, 'web', 600);
    await batched.waitForEvents(20);
    const afterLive = batched.frames.slice(liveAt(batched) + 1);
    expect(afterLive.map((frame) => (frame.type === 'event' ? `${frame.event.repository.name} ${frame.seq}` : frame.type))).toEqual(['web 26', 'web 27']);
  });

  it('without a cursor starts from now', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    await postBuilds(relay, 2);
    const client = await connect(relay, token);
    await postBuilds(relay, 1, 'web', 50);
    await client.waitForEvents(1);
    expect(client.events.map((frame) => frame.seq)).toEqual([3]);
  });

  it('sends nothing twice and skips nothing while a replay overlaps live traffic', async () => {
    // Small replay steps so the replay takes many turns while deliveries keep arriving.
    const { relay, seeded } = await setup({ replayBatchSize: 7 });
    const { token } = seeded.issueToken();
    await postBuilds(relay, 200);
    const clientPromise = connect(relay, token, 0);
    const live = postBuilds(relay, 100, 'web', 1000);
    const client = await clientPromise;
    await live;
    await client.waitForEvents(300);
    const seqs = client.events.map((frame) => frame.seq);
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('never sends a token an event of a repository outside its scope, live or replayed', async () => {
    const { relay, seeded } = await setup();
    const web = seeded.issueToken(['acme/web']);
    const all = seeded.issueToken();
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'secret-project', 1));
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 2));
    const scoped = await connect(relay, web.token, 0);
    const unscoped = await connect(relay, all.token, 0);
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'secret-project', 3));
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 4));
    await unscoped.waitForEvents(4);
    await scoped.waitForEvents(2);
    expect(scoped.events.map((frame) => frame.event.repository.name)).toEqual(['web', 'web']);
    expect(unscoped.events.map((frame) => frame.event.repository.name)).toEqual(['secret-project', 'web', 'secret-project', 'web']);
  });

  it('keeps channels apart', async () => {
    const { relay, seeded } = await setup();
    const db = openRelayDatabase(seeded.file);
    db.prepare("INSERT INTO channels (name, secret, created_at) VALUES ('other', 'other-channel-secret-123', 0)").run();
    db.close();
    const other = seeded.issueToken([], 'other');
    const client = await connect(relay, other.token, 0);
    await postBuilds(relay, 2);
    await postDelivery(relay.url, 'other', buildDelivery('acme', 'web', 9), { secret: 'other-channel-secret-123' });
    await client.waitForEvents(1);
    expect(client.events.map((frame) => frame.event.build.id)).toEqual(['9']);
  });

  it('closes the socket of a token revoked while connected (by another process)', async () => {
    const { relay, seeded } = await setup();
    const { id, token } = seeded.issueToken();
    const client = await connect(relay, token);
    seeded.revoke(id);
    expect(await client.waitForClose()).toBe(CLOSE_CODES.tokenRevoked);
    await expect(StreamRecorder.connect(relay.url, token)).rejects.toThrow('401');
  });

  it('sends a gap frame when the cursor is older than what the log keeps', async () => {
    let now = Date.now();
    const { relay, seeded } = await setup({ retentionMs: 60_000 }, () => now);
    const { token } = seeded.issueToken();
    await postBuilds(relay, 3);
    now += 120_000;
    await postBuilds(relay, 2, 'web', 10);
    expect(await relay.maintenance.pruneNow()).toBe(3);
    const client = await connect(relay, token, 1);
    await client.waitForEvents(2);
    expect(client.frames.slice(0, 2)).toEqual([{ type: 'hello', protocol: 1, head: 5, label: 'test' }, { type: 'gap', after: 1, oldest: 4 }]);
    expect(client.events.map((frame) => frame.seq)).toEqual([4, 5]);
  });

  it('sends a gap frame for a cursor past the head (a replaced database) and starts from now', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    await postBuilds(relay, 2);
    const client = await connect(relay, token, 500);
    await client.waitFor((frames) => frames.length >= 2);
    expect(client.frames[1]).toEqual({ type: 'gap', after: 500, oldest: 3 });
    await postBuilds(relay, 1, 'web', 77);
    await client.waitForEvents(1);
    expect(client.events[0]!.seq).toBe(3);
  });

  it('cuts off a client that stops reading, while a reading client keeps up', async () => {
    const { relay, seeded } = await setup({ maxBufferedBytes: 256 * 1024 });
    const { token } = seeded.issueToken();
    const fast = await connect(relay, token);
    const slow = await connect(relay, token);
    // Stop reading: the kernel buffers fill (a few MiB on loopback), then the relay's queue grows.
    rawSocket(slow).pause();
    const count = 4000;
    const wide = (i: number) => JSON.stringify({
      action: 'updated',
      repository: { id: 1, owner: 'acme', name: 'web', isPrivate: false },
      build: { id: 10_000 + i, status: 'FAILED', branch: `b-${'x'.repeat(990)}`, changeMessageTitle: 'y'.repeat(490), user: { username: 'u'.repeat(190) } },
      task: {},
    });
    for (let i = 0; i < count; i += 20) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, j) => postDelivery(relay.url, 'acme', wide(i + j))));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    }
    await fast.waitForEvents(count, 30_000);
    expect(new Set(fast.events.map((frame) => frame.seq)).size).toBe(count);
    // The relay let go of the slow one: only the fast client is left.
    await expect.poll(() => readMetric(relay.url, 'buildbell_clients_connected'), { timeout: 5000 }).toBe(1);
    rawSocket(slow).resume();
    // 4008 when the close frame gets through the backlog, 1006 when the relay had to drop it.
    expect([CLOSE_CODES.tooSlow, 1006]).toContain(await slow.waitForClose());
    expect(slow.events.length).toBeLessThan(count);
  }, 60_000);

  it('drops a peer that stops answering pings', async () => {
    const { relay, seeded } = await setup({ heartbeatMs: 100 });
    const { token } = seeded.issueToken();
    const client = await StreamRecorder.connect(relay.url, token, undefined, { autoPong: false });
    cleanups.push(() => client.close());
    expect(await client.waitForClose(5000)).toBe(1006);
  });

  it('closes streams with 1001 on shutdown', async () => {
    const { relay, seeded } = await setup();
    const { token } = seeded.issueToken();
    const client = await StreamRecorder.connect(relay.url, token);
    await relay.close();
    expect(await client.waitForClose()).toBe(CLOSE_CODES.goingAway);
  });

  it('closes a client that sends an oversized frame', async () => {
    const { relay, seeded } = await setup({ maxPayloadBytes: 256 });
    const { token } = seeded.issueToken();
    const client = await connect(relay, token);
    client.socket.send('x'.repeat(1024));
    expect(await client.waitForClose()).toBe(1009);
  });

  it('keeps the log readable: the seq of each event matches its row', async () => {
    const { relay, seeded } = await setup();
    await postBuilds(relay, 2);
    const db = openRelayDatabase(seeded.file);
    const rows = new EventLog(db).readAfter('acme', 0, 10);
    db.close();
    expect(rows.map((row) => [row.seq, row.repository])).toEqual([[1, 'acme/web'], [2, 'acme/web']]);
  });
});
