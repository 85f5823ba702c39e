/**
 * webhook → client latency: 100 clients on the relay's stream, deliveries posted at 200/s. Each
 * sample is one (delivery, client) pair: from just before the poster signs and writes the POST to
 * the moment that client's message handler runs, both read from CLOCK_MONOTONIC
 * (process.hrtime.bigint) in different processes on the same host. It covers HTTP, verification,
 * parsing, the durable commit, the answer, and the fan-out frame: the whole path of a real webhook.
 * Anchor: the round trip of a raw WebSocket echo at the same rate, between the same two cores.
 * The note also gives the harness's own floor: the same poster and clients against a server that
 * only reads the POST, answers and broadcasts it (workers/bareBroadcastServer.ts). The 100 clients
 * share the load core, so the last of them waits for the other 99 to be handled: that is in every
 * sample, relay or bare.
 */
import { ClientFleet, type MergedReport } from '../lib/clients.js';
import type { Figure, FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { workerScript } from '../lib/paths.js';
import { postDeliveries, type Posted } from '../lib/post.js';
import { LOAD_CORE, SERVER_CORE, startNode } from '../lib/processes.js';
import { CHANNEL, CHANNEL_SECRET, createRelayDatabase, startRelay } from '../lib/relay.js';
import { percentile, round, sleep, sortedCopy } from '../lib/stats.js';

const CLIENTS = 100;
const PER_SECOND = 200;
/**
 * One process for the 100 clients: they share the load core either way, and a second process only
 * added context switches (measured against a bare broadcast: p50 1.07 → 0.88 ms, p99 3.9 → 3.5 ms).
 */
const CLIENT_PROCESSES = 1;

async function echoAnchor(count: number): Promise<Float64Array> {
  const server = startNode(workerScript('echoServer'), [], { core: SERVER_CORE });
  try {
    const [, url] = await server.waitForOutput(/listening on (ws:\S+)/);
    const client = startNode(workerScript('echoClient'), [JSON.stringify({ url, count, perSecond: PER_SECOND })], { core: LOAD_CORE });
    const result = await client.waitForMessage((m): m is { kind: 'echo'; samples: number[] } => (m as { kind?: unknown }).kind === 'echo', (count / PER_SECOND + 60) * 1000);
    await client.stop();
    return sortedCopy(result.samples);
  } finally {
    await server.stop();
  }
}

/** Latency samples (ms) of the same poster and clients against a bare broadcast server. */
async function harnessFloor(count: number, frameBytes: number): Promise<Float64Array> {
  const server = startNode(workerScript('bareBroadcastServer'), [JSON.stringify({ frameBytes })], { core: SERVER_CORE });
  let fleet: ClientFleet | undefined;
  try {
    const [, url] = await server.waitForOutput(/listening on (http:\S+)/);
    fleet = await ClientFleet.start({ url: `${url!.replace(/^http/, 'ws')}/stream`, total: CLIENTS, processes: CLIENT_PROCESSES, waitFor: 'open' });
    return (await timedDeliveries(url!, fleet, count)).samples;
  } finally {
    await fleet?.close();
    await server.stop();
  }
}

export const latencyFigure: FigureModule = async ({ quick, log }) => {
  const count = (quick ? 5 : 15) * PER_SECOND;
  const echo = await echoAnchor(count);
  log(`latency anchor: echo p50 ${round(percentile(echo, 50), 3)} ms, p99 ${round(percentile(echo, 99), 3)} ms`);

  const { posted, seen, samples } = await relayLatency(count);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  log(`latency relay: p50 ${round(p50, 3)} ms, p99 ${round(p99, 3)} ms over ${samples.length} samples`);
  // The same frame size as the relay's, so the floor's clients read as much per frame.
  const floor = await harnessFloor(count, seen.frameBytes);
  log(`latency floor: bare broadcast p50 ${round(percentile(floor, 50), 3)} ms, p99 ${round(percentile(floor, 99), 3)} ms`);

  const expected = posted.ok * CLIENTS;
  const lost = expected - samples.length;
  const note = `${posted.ok} deliveries at ${PER_SECOND}/s to ${seen.clients} clients, ${samples.length} samples (${lost} missing), ` +
    `max ${round(samples[samples.length - 1] ?? NaN, 1)} ms, non-200 answers ${posted.failed}; echo anchor ${echo.length} round trips; ` +
    `the same poster and clients against a bare broadcast server: p50 ${round(percentile(floor, 50), 2)} ms, p99 ${round(percentile(floor, 99), 2)} ms`;
  const row = (p: 50 | 99, value: number, anchor: number, limit: number): Figure => ({
    name: `webhook → client latency p${p}, ${CLIENTS} clients, ${PER_SECOND} deliveries/s`,
    value: round(value, 3),
    unit: 'ms',
    anchor: { what: `raw WebSocket echo round trip p${p}`, value: round(anchor, 3), unit: 'ms' },
    ratio: round(ratioOf(value, anchor) ?? NaN, 1),
    bar: `≤ ${limit} ms`,
    met: value <= limit && lost === 0 && posted.failed === 0,
    note,
  });
  // p99: issue #16's bar (issue #6 had 10 ms).
  return [row(50, p50, percentile(echo, 50), 2), row(99, p99, percentile(echo, 99), 5)];
};

/**
 * `count` deliveries posted to `url` at PER_SECOND after a second of warm-up whose samples are
 * dropped, and what the fleet saw of them: the same sequence for the relay and the floor.
 */
async function timedDeliveries(url: string, fleet: ClientFleet, count: number): Promise<{ posted: Posted; seen: MergedReport; samples: Float64Array }> {
  await postDeliveries(`${url}/hooks/${CHANNEL}`, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count: PER_SECOND });
  await sleep(500);
  await fleet.reset();
  const posted = await postDeliveries(`${url}/hooks/${CHANNEL}`, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count });
  const seen = await fleet.settle(500);
  return { posted, seen, samples: sortedCopy(seen.samples) };
}

/** The figure itself: the relay with 100 clients on its stream. */
async function relayLatency(count: number): Promise<{ posted: Posted; seen: MergedReport; samples: Float64Array }> {
  const database = createRelayDatabase();
  const relay = await startRelay(database.file);
  let fleet: ClientFleet | undefined;
  try {
    fleet = await ClientFleet.start({ url: `${relay.wsUrl}/stream`, token: database.issueToken(), total: CLIENTS, processes: CLIENT_PROCESSES, waitFor: 'live' });
    return await timedDeliveries(relay.url, fleet, count);
  } finally {
    await fleet?.close();
    await relay.stop();
    database.remove();
  }
}
