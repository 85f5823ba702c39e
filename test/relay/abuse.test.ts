/**
 * What an unauthenticated sender, or one replaying a captured delivery, can make the relay do
 * (findings 3, 4 and 10 of the security review), against a real relay and a real SQLite file.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { exchange, upgradeRequest } from '../hostile/wire.js';
import { makeTempDir } from '../support/temp.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';

const temp = makeTempDir();
let relay: Relay | undefined;

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** Sends a POST's headers announcing `declared` bytes and one byte of body, then waits for an answer. */
function stalledPost(port: number, channel: string, declared: number): Promise<{ status: number; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /hooks/${channel} HTTP/1.1\r\nHost: relay.test\r\nContent-Type: application/json\r\nX-Cirrus-Event: build\r\nContent-Length: ${declared}\r\n\r\n{`);
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (status) resolve({ status: Number(status[1]), socket });
    });
    socket.on('error', reject);
    setTimeout(() => resolve({ status: 0, socket }), 2000).unref();
  });
}

describe('a sender without a channel', () => {
  it('is answered 401 before the body is read, the same way as a wrong signature', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'known');
    relay = await startRelay({ database: seeded.file, port: 0 });
    const unknown = await stalledPost(relay.port, 'nobody', 1024 * 1024 - 1);
    unknown.socket.destroy();
    expect(unknown.status).toBe(401);
    // The known channel waits for the body: the relay cannot check a signature without it.
    const known = await stalledPost(relay.port, 'known', 1024 * 1024 - 1);
    known.socket.destroy();
    expect(known.status).toBe(0);
    const wrongChannel = await postDelivery(relay.url, 'nobody', buildDelivery('acme', 'web', 1));
    const wrongSecret = await postDelivery(relay.url, 'known', buildDelivery('acme', 'web', 1), { secret: 'not-the-secret-of-known' });
    expect([wrongChannel.status, wrongSecret.status]).toEqual([401, 401]);
    expect(String(wrongSecret.body['error'])).toContain(String(wrongChannel.body['error']));
  });

  it('cannot hold more than the per-address number of bodies in flight, even for a known channel', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'held');
    relay = await startRelay({ database: seeded.file, port: 0, maxBodiesPerAddress: 3 });
    const held = await Promise.all([1, 2, 3].map(() => stalledPost(relay!.port, 'held', 4096)));
    expect(held.map((post) => post.status)).toEqual([0, 0, 0]);
    const refused = await stalledPost(relay.port, 'held', 4096);
    refused.socket.destroy();
    expect(refused.status).toBe(429);
    for (const post of held) post.socket.destroy();
    // The places are given back when the bodies end, however they end.
    await expect.poll(async () => (await postDelivery(relay!.url, 'held', buildDelivery('acme', 'web', 2))).status, { timeout: 5000 }).toBe(200);
  });
});

describe('a replayed delivery', () => {
  it('is answered as a duplicate without spending the channel budget new deliveries need', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'replayed');
    relay = await startRelay({ database: seeded.file, port: 0, rateLimits: { hookPerChannel: { perSecond: 0.1, burst: 3 } } });
    const captured = buildDelivery('acme', 'web', 7);
    expect((await postDelivery(relay.url, 'replayed', captured)).status).toBe(200);
    const replays = await Promise.all(Array.from({ length: 50 }, () => postDelivery(relay!.url, 'replayed', captured)));
    expect(new Set(replays.map((replay) => replay.body['status']))).toEqual(new Set(['duplicate']));
    // Two of the burst of three are left for the channel's real sender.
    const fresh = [await postDelivery(relay.url, 'replayed', buildDelivery('acme', 'web', 8)), await postDelivery(relay.url, 'replayed', buildDelivery('acme', 'web', 9))];
    expect(fresh.map((answer) => answer.body['status'])).toEqual(['stored', 'stored']);
  });
});

describe('what a token holder learns', () => {
  it('is its own channel head, not how much other channels received', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'quiet');
    const { ChannelStore } = await import('../../src/relay/channels.js');
    const { openRelayDatabase } = await import('../../src/relay/database.js');
    const db = openRelayDatabase(seeded.file);
    new ChannelStore(db).upsert('busy', 'a-channel-secret-for-tests', Date.now());
    db.close();
    relay = await startRelay({ database: seeded.file, port: 0 });
    const quietSeq = (await postDelivery(relay.url, 'quiet', buildDelivery('acme', 'web', 1))).body['seq'] as number;
    for (let id = 2; id <= 6; id += 1) await postDelivery(relay.url, 'busy', buildDelivery('acme', 'web', id));
    const client = await StreamRecorder.connect(relay.url, seeded.issueToken().token, 0);
    await client.waitFor((frames) => frames.some((frame) => frame.type === 'live'));
    client.socket.close();
    expect(client.frames[0]).toMatchObject({ type: 'hello', head: quietSeq });
    expect(client.frames.at(-1)).toMatchObject({ type: 'live', cursor: quietSeq });
  });
});

describe('one token', () => {
  it('holds at most maxStreamsPerToken streams; the next is refused with 429 until one closes', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'streams');
    relay = await startRelay({ database: seeded.file, port: 0, maxStreamsPerToken: 2, heartbeatMs: 5000 });
    const { token } = seeded.issueToken();
    const open = [await StreamRecorder.connect(relay.url, token), await StreamRecorder.connect(relay.url, token)];
    const refused = await exchange(relay.port, upgradeRequest('/stream', [['Authorization', `Bearer ${token}`]]));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');
    // Another token is not affected.
    const other = await StreamRecorder.connect(relay.url, seeded.issueToken().token);
    open[0]!.socket.close();
    await open[0]!.waitFor(() => open[0]!.closeCode !== undefined);
    await expect.poll(async () => {
      try {
        const again = await StreamRecorder.connect(relay!.url, token);
        again.socket.close();
        return true;
      } catch {
        return false;
      }
    }, { timeout: 5000 }).toBe(true);
    open[1]!.socket.close();
    other.socket.close();
  });
});
