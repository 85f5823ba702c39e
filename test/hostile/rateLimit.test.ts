/** The relay's rate limits: token buckets, and their 429 with Retry-After on both endpoints of a real relay. */
import { afterEach, describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/relay/http/rateLimit.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { readMetric, TEST_METRICS_TOKEN } from '../support/metrics.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

describe('token buckets', () => {
  it('allow the burst, then the rate, and say how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
    now += 500;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('forget the least recently used key past their cap, so invented keys cannot grow memory', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, () => 0, 100);
    for (let i = 0; i < 10_000; i += 1) buckets.take(`10.0.${i >> 8}.${i & 255}`);
    expect(buckets.size).toBe(100);
  });

  it('refuse nonsense rules when built', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 1 }, () => 0)).toThrow(TypeError);
  });
});

describe('a relay with tight limits', () => {
  const temp = makeTempDir('buildbell-ratelimit-');
  let relay: Relay | undefined;
  afterEach(async () => {
    await relay?.close();
  });

  it('answers webhooks past the per-address burst with 429 and Retry-After, and stores none of them', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'limited');
    relay = await startRelay({ database: seeded.file, port: 0, rateLimits: { hookPerAddress: { perSecond: 0.5, burst: 5 } }, metricsToken: TEST_METRICS_TOKEN });
    const answers = [];
    for (let id = 1; id <= 8; id += 1) answers.push(await postDelivery(relay.url, 'limited', buildDelivery('acme', 'web', id)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(answers[5]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await readMetric(relay.url, 'buildbell_events_stored_total')).toBe(5);
  });

  it('counts a channel only for signed deliveries, so nobody without the secret can spend its budget', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'guarded');
    relay = await startRelay({ database: seeded.file, port: 0, rateLimits: { hookPerChannel: { perSecond: 0.5, burst: 2 } } });
    for (let id = 1; id <= 5; id += 1) expect((await postDelivery(relay.url, 'guarded', buildDelivery('acme', 'web', id), { signature: '0'.repeat(64) })).status).toBe(401);
    const signed = [];
    for (let id = 1; id <= 3; id += 1) signed.push((await postDelivery(relay.url, 'guarded', buildDelivery('acme', 'web', id))).status);
    expect(signed).toEqual([200, 200, 429]);
  });

  it('refuses stream upgrades past the per-address burst with 429, which the client retries later', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'streams');
    const { token } = seeded.issueToken([], 'streams');
    relay = await startRelay({ database: seeded.file, port: 0, rateLimits: { streamPerAddress: { perSecond: 0.5, burst: 2 } } });
    const first = await StreamRecorder.connect(relay.url, token);
    const second = await StreamRecorder.connect(relay.url, token);
    await expect(StreamRecorder.connect(relay.url, token)).rejects.toThrow('upgrade refused: 429');
    first.close();
    second.close();
  });

  it('lets everything through when the limits are off (benchmarks)', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'open');
    relay = await startRelay({ database: seeded.file, port: 0, rateLimits: null });
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => postDelivery(relay!.url, 'open', buildDelivery('acme', 'web', i + 1)).then((answer) => answer.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
