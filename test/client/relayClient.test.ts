/**
 * The relay client against a real relay: resume after the relay is killed and restarted, a cut
 * socket, a frozen connection only the watchdog can notice, a gap, a revoked token, and a client
 * restart that repeats nothing; and "I'm on it" sent and received over the same stream.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NormalisedEvent } from '../../src/core/event.js';
import { silentLogger } from '../../src/core/ports.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelay } from '../../src/relay/server.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { streamUrl } from '../../src/client/sources/relay/streamUrl.js';
import { buildDelivery, postDelivery, seedRelayDatabase } from '../support/relay.js';
import { killStartedProcesses, startRelayProcess } from '../support/processes.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { makeTempDir } from '../support/temp.js';
import { createCursorFile, createMemoryCursor, type CursorStore } from '../../src/client/sources/relay/cursorFile.js';
import { createRelaySource, type RelayConnection, type RelaySource } from '../../src/client/sources/relay/relayClient.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await killStartedProcesses();
});

function recordingSource(url: string, token: string, cursor: CursorStore, silence?: { timeoutMs: number; pingMs: number }) {
  const events: Array<{ event: NormalisedEvent; seq: number; catchUp: boolean }> = [];
  const catchUps: boolean[] = [];
  const gaps: Array<{ after: number; oldest: number }> = [];
  const connections: RelayConnection[] = [];
  const source: RelaySource = createRelaySource({
    urls: [url],
    token,
    cursor,
    logger: silentLogger,
    backoff: { initialMs: 50, maxMs: 200 },
    ...(silence === undefined ? {} : { silenceTimeoutMs: silence.timeoutMs, pingIntervalMs: silence.pingMs }),
    handlers: {
      onEvent: (event, meta) => events.push({ event, ...meta }),
      onCatchUp: (active) => catchUps.push(active),
      onGap: (gap) => gaps.push(gap),
      onConnection: (connection) => connections.push(connection),
    },
  });
  cleanups.push(() => source.stop());
  const connected = () => connections.at(-1)?.state === 'connected';
  return { source, events, catchUps, gaps, connections, connected, buildIds: () => events.map((entry) => entry.event.build.id) };
}

async function post(url: string, from: number, count: number) {
  for (let id = from; id < from + count; id += 1) {
    expect((await postDelivery(url, 'acme', buildDelivery('acme', 'web', id))).status).toBe(200);
  }
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

/** A stand-in relay that says hello (with `label`, if given), then does what `onClientFrame` says. */
async function fakeRelay(hello: Record<string, unknown>, onConnection: (socket: WebSocket) => void = () => undefined, onClientFrame: (socket: WebSocket, frame: Record<string, unknown>) => void = () => undefined) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'hello', protocol: 1, head: 0, ...hello }));
    onConnection(socket);
    socket.on('message', (data) => onClientFrame(socket, JSON.parse(String(data)) as Record<string, unknown>));
  });
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  }));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
}

describe('the relay client', () => {
  it('resumes after the relay is killed and restarted, with what it missed as one catch-up', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    let relay = await startRelayProcess(seeded.file);
    const port = new URL(relay.url).port;
    // Through a proxy that can play "host down", so the client stays away while events arrive.
    const proxy = await startTcpProxy(Number(port));
    cleanups.push(() => proxy.close());
    const client = recordingSource(`ws://127.0.0.1:${proxy.port}/stream`, token, createMemoryCursor());
    await client.source.start();
    await expect.poll(client.connected).toBe(true);
    await post(relay.url, 1, 3);
    await expect.poll(() => client.events.length).toBe(3);

    proxy.refuse();
    relay.child.kill('SIGKILL');
    await relay.exited();
    await expect.poll(() => client.connections.at(-1)?.state).toBe('offline');
    relay = await startRelayProcess(seeded.file, ['--port', port]);
    await post(relay.url, 4, 3);
    proxy.accept();
    await expect.poll(() => client.events.length, { timeout: 10_000 }).toBe(6);
    await post(relay.url, 7, 1);
    await expect.poll(() => client.events.length).toBe(7);

    expect(client.buildIds()).toEqual(range(1, 7));
    expect(client.events.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(client.events.map((entry) => entry.catchUp)).toEqual([false, false, false, true, true, true, false]);
    expect(client.catchUps).toEqual([true, false]);
  });

  it('catches up as one batch after being away, then carries on live', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => relay.close());
    await post(relay.url, 1, 5);
    const client = recordingSource(streamUrl(relay.url), token, createMemoryCursor(2));
    await client.source.start();
    await expect.poll(() => client.events.length).toBe(3);
    expect(client.events.every((entry) => entry.catchUp)).toBe(true);
    await expect.poll(() => client.catchUps).toEqual([true, false]);
    await post(relay.url, 6, 1);
    await expect.poll(() => client.events.length).toBe(4);
    expect(client.events[3]).toMatchObject({ seq: 6, catchUp: false });
  });

  it('reconnects after the socket is cut, and notices a frozen connection by its silence', async () => {
    // The relay's own heartbeat is far off: only the client's pings keep a quiet link alive.
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    const relay = await startRelay({ database: seeded.file, port: 0, heartbeatMs: 60_000 });
    cleanups.push(() => relay.close());
    const proxy = await startTcpProxy(relay.port);
    cleanups.push(() => proxy.close());
    const client = recordingSource(`ws://127.0.0.1:${proxy.port}/stream`, token, createMemoryCursor(0), { timeoutMs: 500, pingMs: 100 });
    await client.source.start();
    await expect.poll(client.connected).toBe(true);
    // Quiet but healthy for three silence timeouts: the pongs keep it up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(client.connections.filter((c) => c.state === 'offline')).toEqual([]);

    proxy.cut();
    await post(relay.url, 1, 2);
    await expect.poll(() => client.events.length, { timeout: 5000 }).toBe(2);

    // Frozen: the socket stays open, nothing flows. Only the watchdog can tell.
    proxy.freeze();
    await post(relay.url, 3, 2);
    await expect.poll(() => client.connections.filter((c) => c.state === 'offline').length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    proxy.thaw();
    await expect.poll(() => client.events.length, { timeout: 5000 }).toBe(4);
    expect(client.buildIds()).toEqual(range(1, 4));
  });

  it('reports a gap when events were pruned before it saw them', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    let now = Date.now();
    const relay = await startRelay({ database: seeded.file, port: 0, retentionMs: 60_000 }, { clock: () => now });
    cleanups.push(() => relay.close());
    await post(relay.url, 1, 3);
    now += 120_000;
    await post(relay.url, 4, 1);
    await relay.maintenance.pruneNow();
    const client = recordingSource(streamUrl(relay.url), token, createMemoryCursor(1));
    await client.source.start();
    await expect.poll(() => client.gaps).toEqual([{ type: 'gap', after: 1, oldest: 4 }]);
    await expect.poll(() => client.buildIds()).toEqual(['4']);
  });

  it('stops for good, saying why, when its token is revoked', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { id, token } = seeded.issueToken();
    const relay = await startRelay({ database: seeded.file, port: 0, adminPollMs: 50 });
    cleanups.push(() => relay.close());
    const client = recordingSource(streamUrl(relay.url), token, createMemoryCursor());
    await client.source.start();
    await expect.poll(client.connected).toBe(true);
    seeded.revoke(id);
    await expect.poll(() => client.connections.at(-1)).toMatchObject({ state: 'offline', reason: 'the token was revoked on the relay', retryAt: null });
  });

  it('after a client restart resumes from its cursor file, repeating nothing', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => relay.close());
    const url = streamUrl(relay.url);
    const cursorPath = path.join(temp.dir, 'cursor.json');
    const first = recordingSource(url, token, createCursorFile(cursorPath, url, silentLogger));
    await first.source.start();
    await expect.poll(first.connected).toBe(true);
    await post(relay.url, 1, 3);
    await expect.poll(() => first.events.length).toBe(3);
    await first.source.stop();

    await post(relay.url, 4, 2);
    const second = recordingSource(url, token, createCursorFile(cursorPath, url, silentLogger));
    await second.source.start();
    await expect.poll(() => second.events.length).toBe(2);
    await post(relay.url, 6, 1);
    await expect.poll(() => second.events.length).toBe(3);
    expect(second.buildIds()).toEqual(range(4, 3));
    // A cursor file written for another relay is not reused.
    expect(await createCursorFile(cursorPath, 'ws://elsewhere/stream', silentLogger).load()).toBeUndefined();
  });
});

describe('the relay client\'s acknowledgements', () => {
  const build = (id: number | string, repository = { owner: 'acme', name: 'web' }) => ({ provider: 'cirrus' as const, repository, id: String(id), url: `https://cirrus-ci.com/build/${id}` });

  function acknowledgingSource(url: string, token: string, cursor = createMemoryCursor(), acknowledgeTimeoutMs?: number) {
    const acknowledgements: Array<{ by: string; buildId: string; active: boolean; seq: number; catchUp: boolean; own: boolean }> = [];
    const events: number[] = [];
    const connections: RelayConnection[] = [];
    const source = createRelaySource({
      urls: [url], token, cursor, logger: silentLogger, backoff: { initialMs: 50, maxMs: 200 },
      ...(acknowledgeTimeoutMs === undefined ? {} : { acknowledgeTimeoutMs }),
      handlers: {
        onEvent: (_event, meta) => events.push(meta.seq),
        onAcknowledgement: (ack, meta) => acknowledgements.push({ by: ack.by, buildId: ack.buildId, active: ack.active, ...meta }),
        onCatchUp: () => undefined,
        onGap: () => undefined,
        onConnection: (connection) => connections.push(connection),
      },
    });
    cleanups.push(() => source.stop());
    return { source, acknowledgements, events, cursor, connected: () => connections.at(-1)?.state === 'connected' };
  }

  async function relayWithTokens(labels: string[]) {
    const temp = makeTempDir();
    const seeded = seedRelayDatabase(temp.dir);
    const relay = await startRelay({ database: seeded.file, port: 0, rateLimits: null });
    cleanups.push(() => temp.remove(), () => relay.close());
    const db = openRelayDatabase(seeded.file);
    const tokens = labels.map((label) => new TokenStore(db).issue('acme', label, [], Date.now()).token);
    db.close();
    return { relay, tokens, url: streamUrl(relay.url) };
  }

  it('resolves once the relay streams it back, tells its own from others\', and moves the cursor', async () => {
    const { relay, tokens, url } = await relayWithTokens(['Ana', 'Bo']);
    const ana = acknowledgingSource(url, tokens[0]!);
    const bo = acknowledgingSource(url, tokens[1]!);
    expect(ana.source.isConnected()).toBe(false);
    await Promise.all([ana.source.start(), bo.source.start()]);
    await expect.poll(() => ana.connected() && bo.connected()).toBe(true);
    expect(ana.source.isConnected()).toBe(true);
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 5));
    await expect.poll(() => ana.events.length + bo.events.length).toBe(2);

    await ana.source.acknowledge(build(5), true);
    // Resolved only once the acknowledgement frame came back: Ana has it already.
    expect(ana.acknowledgements).toEqual([{ by: 'Ana', buildId: '5', active: true, seq: 2, catchUp: false, own: true }]);
    await expect.poll(() => bo.acknowledgements).toEqual([{ by: 'Ana', buildId: '5', active: true, seq: 2, catchUp: false, own: false }]);
    expect([ana.cursor.current(), bo.cursor.current()]).toEqual([2, 2]);
    await ana.source.acknowledge(build(5), false);
    expect(ana.acknowledgements.at(-1)).toMatchObject({ active: false, seq: 3, own: true });
  });

  it('rejects with the relay\'s reason on an error frame, and at once when not connected', async () => {
    const { relay, tokens, url } = await relayWithTokens(['Ana']);
    const ana = acknowledgingSource(url, tokens[0]!);
    await expect(ana.source.acknowledge(build(6), true)).rejects.toThrow(/not connected/);
    await ana.source.start();
    await expect.poll(ana.connected).toBe(true);
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 6, 'COMPLETED'));
    await expect.poll(() => ana.events.length).toBe(1);
    await expect(ana.source.acknowledge(build(6), true)).rejects.toThrow(/only a failed build/);
    await expect(ana.source.acknowledge(build(7), true)).rejects.toThrow(/no build 7 of acme\/web/);
    await expect(ana.source.acknowledge(build(6, { owner: 'beta', name: 'web' }), false)).rejects.toThrow(/no build 6 of beta\/web/);
    expect(ana.acknowledgements).toEqual([]);
    await ana.source.stop();
    await expect(ana.source.acknowledge(build(6), false)).rejects.toThrow(/not connected/);
  });

  it('rejects at once, not after its timeout, when the relay drops the frame over its budget', async () => {
    const temp = makeTempDir();
    const seeded = seedRelayDatabase(temp.dir);
    // A budget of one frame: the second is dropped unread, answered with rate_limited and no ref.
    const relay = await startRelay({ database: seeded.file, port: 0, rateLimits: null, clientFrames: { perSecond: 0.01, burst: 1, floodAllowance: 100 } });
    cleanups.push(() => temp.remove(), () => relay.close());
    const ana = acknowledgingSource(streamUrl(relay.url), seeded.issueToken([], 'acme', 'Ana').token);
    await ana.source.start();
    await expect.poll(ana.connected).toBe(true);
    await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 5));
    await expect.poll(() => ana.events.length).toBe(1);
    await ana.source.acknowledge(build(5), true);
    const started = Date.now();
    await expect(ana.source.acknowledge(build(5), false)).rejects.toThrow(/refused the acknowledgement: .*/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects after its timeout when the relay never answers, and when the connection drops first', async () => {
    const silent = await fakeRelay({ label: 'Ana' });
    const waiting = acknowledgingSource(silent, 'bb_token', createMemoryCursor(), 200);
    await waiting.source.start();
    await expect.poll(waiting.connected).toBe(true);
    const started = Date.now();
    await expect(waiting.source.acknowledge(build(1), true)).rejects.toThrow(/did not confirm the acknowledgement within 0.2 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);

    const dropping = await fakeRelay({ label: 'Ana' }, undefined, (socket) => socket.terminate());
    const cut = acknowledgingSource(dropping, 'bb_token');
    await cut.source.start();
    await expect.poll(cut.connected).toBe(true);
    await expect(cut.source.acknowledge(build(1), true)).rejects.toThrow(/closed before it confirmed/);
  });

  it('works with a relay from before acknowledgements, and passes over frame types it does not know', async () => {
    const event = { id: 'e', provider: 'cirrus', kind: 'build', action: 'updated', receivedAt: 1, repository: { id: '1', owner: 'acme', name: 'web', private: false }, build: { id: '1', status: 'FAILED', previousStatus: null, state: 'failed', branch: 'main', sha: null, title: null, pullRequest: null, initiator: null, url: 'https://cirrus-ci.com/build/1', changedAt: null }, task: null };
    const acknowledgement = { provider: 'cirrus', repository: event.repository, buildId: '1', branch: 'main', by: 'Ana', active: true, at: 5 };
    const old = await fakeRelay({}, (socket) => {
      socket.send(JSON.stringify({ type: 'something-newer', seq: 9 }));
      socket.send(JSON.stringify({ type: 'event', seq: 3, event }));
      socket.send(JSON.stringify({ type: 'acknowledgement', seq: 4, acknowledgement }));
    });
    const client = acknowledgingSource(old, 'bb_token');
    await client.source.start();
    await expect.poll(() => client.acknowledgements.length).toBe(1);
    expect(client.events).toEqual([3]);
    // No label in the hello: nothing is taken for this client's own.
    expect(client.acknowledgements[0]).toMatchObject({ by: 'Ana', seq: 4, own: false });
    expect(client.cursor.current()).toBe(4);
  });
});

describe('the relay client and batch frames', () => {
  const event = (seq: number) => ({ id: `e${seq}`, provider: 'cirrus', kind: 'build', action: 'updated', receivedAt: 1, repository: { id: '1', owner: 'acme', name: 'web', private: false }, build: { id: String(seq), status: 'FAILED', previousStatus: null, state: 'failed', branch: 'main', sha: null, title: null, pullRequest: null, initiator: null, url: `https://cirrus-ci.com/build/${seq}`, changedAt: null }, task: null });
  const eventFrame = (seq: number) => ({ type: 'event', seq, event: event(seq) });

  function batchSource(url: string, initialCursor?: number, token = 'bb_token') {
    const events: Array<{ seq: number; catchUp: boolean }> = [];
    const acknowledgements: Array<{ seq: number; by: string; catchUp: boolean }> = [];
    const warnings: string[] = [];
    const memory = createMemoryCursor(initialCursor);
    const saved: number[] = [];
    const source = createRelaySource({
      urls: [url], token, logger: { ...silentLogger, warn: (message) => void warnings.push(message) }, backoff: { initialMs: 50, maxMs: 200 },
      cursor: {
        load: () => memory.load(),
        save: (seq) => {
          saved.push(seq);
          return memory.save(seq);
        },
      },
      handlers: {
        onEvent: (_event, meta) => events.push(meta),
        onAcknowledgement: (ack, meta) => acknowledgements.push({ seq: meta.seq, by: ack.by, catchUp: meta.catchUp }),
        onCatchUp: () => undefined,
        onGap: () => undefined,
        onConnection: () => undefined,
      },
    });
    cleanups.push(() => source.stop());
    return { source, events, acknowledgements, warnings, saved, cursor: memory };
  }

  // The same catch-up from a relay that batches and from one that ignores batch=1 (as a relay
  // before batch frames does): the proxy takes the parameter off the request on its way.
  it.each([
    { relay: 'a relay that batches', strip: false },
    { relay: 'a relay that ignores batch=1 and sends single frames', strip: true },
  ])('resumes through $relay: every event and acknowledgement once, in order, the cursor saved item by item', async ({ strip }) => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    // Steps of 7 rows: the replay is several batch frames.
    const relay = await startRelay({ database: seeded.file, port: 0, replayBatchSize: 7, rateLimits: null });
    cleanups.push(() => relay.close());
    let fromRelay = '';
    const proxy = await startTcpProxy(relay.port, {
      requestLine: (line) => (strip ? line.replace('&batch=1', '') : line),
      onResponseData: (chunk) => void (fromRelay += chunk.toString('latin1')),
    });
    cleanups.push(() => proxy.close());
    await post(relay.url, 1, 10);
    // An acknowledgement, seq 11, between the events, sent by another client already live.
    const ana = createRelaySource({
      urls: [streamUrl(relay.url)], token: seeded.issueToken([], 'acme', 'Ana').token, cursor: createMemoryCursor(), logger: silentLogger,
      handlers: { onEvent: () => undefined, onCatchUp: () => undefined, onGap: () => undefined, onConnection: () => undefined },
    });
    cleanups.push(() => ana.stop());
    await ana.start();
    await expect.poll(() => ana.isConnected()).toBe(true);
    await ana.acknowledge({ provider: 'cirrus', repository: { owner: 'acme', name: 'web' }, id: '5', url: 'https://cirrus-ci.com/build/5' }, true);
    await post(relay.url, 11, 10);

    const client = batchSource(`ws://127.0.0.1:${proxy.port}/stream`, 0, seeded.issueToken([], 'acme', 'Bo').token);
    await client.source.start();
    await expect.poll(() => client.events.length).toBe(20);
    expect(proxy.requestLines[0]).toMatch(/^GET \/stream\?after=0&batch=1 HTTP\/1\.1$/);
    expect(fromRelay.includes('{"type":"batch"')).toBe(!strip);
    expect(client.events.map((entry) => entry.seq)).toEqual([...range(1, 10), ...range(12, 10)].map(Number));
    expect(client.events.every((entry) => entry.catchUp)).toBe(true);
    expect(client.acknowledgements).toEqual([{ seq: 11, by: 'Ana', catchUp: true }]);
    await expect.poll(() => client.cursor.current()).toBe(21);
    // Saved after each row, as single frames are: a restart mid-batch repeats nothing it handled.
    expect(client.saved).toEqual(range(1, 21).map(Number));
    expect(client.warnings).toEqual([]);
  });

  it('passes over what is wrong in a batch, item by item, and keeps the stream', async () => {
    const acknowledgement = { provider: 'cirrus', repository: event(1).repository, buildId: '1', branch: 'main', by: 'Ana', active: true, at: 5 };
    const huge = Array.from({ length: 20_000 }, (_, i) => eventFrame(100 + i));
    const url = await fakeRelay({ head: 30_000 }, (socket) => {
      socket.send(JSON.stringify({ type: 'batch', frames: 'not a list' }));
      socket.send(JSON.stringify({ type: 'batch' }));
      socket.send(JSON.stringify({ type: 'batch', frames: null }));
      socket.send('{"type":"batch","frames":[');
      socket.send(JSON.stringify({
        type: 'batch',
        frames: [
          eventFrame(1),
          { type: 'event', seq: 'two', event: event(2) },
          { type: 'event', seq: 3, event: { ...event(3), provider: 'travis' } },
          { type: 'something-newer', seq: 4 },
          { type: 'hello', protocol: 1, head: 0 },
          { type: 'live', cursor: 99_999 },
          { type: 'batch', frames: [eventFrame(50)] },
          null, 7, 'event', [],
          { type: 'acknowledgement', seq: 8, acknowledgement },
          eventFrame(9),
          // Already passed: skipped as a repeated single frame is.
          eventFrame(9),
        ],
      }));
      socket.send(JSON.stringify({ type: 'batch', frames: huge }));
      socket.send(JSON.stringify({ type: 'batch', frames: [] }));
      socket.send(JSON.stringify(eventFrame(30_000)));
    });
    const client = batchSource(url, 0);
    await client.source.start();
    await expect.poll(() => client.events.at(-1)?.seq, { timeout: 10_000 }).toBe(30_000);
    expect(client.events.slice(0, 3).map((entry) => entry.seq)).toEqual([1, 9, 100]);
    expect(client.events).toHaveLength(2 + huge.length + 1);
    expect(client.acknowledgements.map((entry) => entry.seq)).toEqual([8]);
    expect(client.cursor.current()).toBe(30_000);
    expect(client.source.isConnected()).toBe(true);
    expect(client.warnings.filter((message) => message === 'ignoring a malformed frame')).toHaveLength(3 + 2);
    expect(client.warnings.filter((message) => message === 'ignoring a frame that is not JSON')).toHaveLength(1);
    expect(client.warnings.filter((message) => message.startsWith('ignoring an item of a batch'))).toHaveLength(8);
  });
});
