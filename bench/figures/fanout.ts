/**
 * fan-out: 1,000 clients on one channel. Two phases against the relay, then the same two against
 * the anchor, a bare ws server that sends one prebuilt buffer per delivery (workers/
 * bareBroadcastServer.ts), with the same clients and the same poster:
 *  1. 20 deliveries/s (20,000 frames/s): per delivery, the latency to the LAST client that got it
 *     (CLOCK_MONOTONIC stamps as in latency.ts); p99 over deliveries; lost = frames expected − received.
 *  2. saturation: deliveries posted closed-loop (4 in flight) for a fixed time; frames/s = frames
 *     received by all clients ÷ (last arrival − first post). Whatever the slower side is, the relay
 *     and the anchor face the same clients on the same core.
 */
import { ClientFleet, type MergedReport } from '../lib/clients.js';
import type { FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { workerScript } from '../lib/paths.js';
import { postDeliveries, type Posted } from '../lib/post.js';
import { SERVER_CORE, startNode } from '../lib/processes.js';
import { CHANNEL, CHANNEL_SECRET, createRelayDatabase, startRelay } from '../lib/relay.js';
import { percentile, round, sleep, sortedCopy } from '../lib/stats.js';

const CLIENTS = 1000;
const PER_SECOND = 20;

interface Outcome {
  readonly lastClientP99Ms: number;
  readonly lost: number;
  readonly posted: Posted;
  readonly paced: MergedReport;
  readonly saturationFramesPerSec: number;
  readonly saturation: MergedReport;
  readonly saturationPosted: Posted;
}

async function measure(hooksUrl: string, fleet: ClientFleet, quick: boolean): Promise<Outcome> {
  const count = (quick ? 5 : 15) * PER_SECOND;
  await postDeliveries(hooksUrl, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count: PER_SECOND }); // warm-up
  await sleep(500);
  await fleet.reset();
  const posted = await postDeliveries(hooksUrl, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count });
  const paced = await fleet.settle(500);
  const lastClient = sortedCopy([...paced.perDelivery.values()].map((d) => d.lastMs));
  const lost = posted.ok * CLIENTS - paced.samples.length;

  await fleet.reset();
  const saturationPosted = await postDeliveries(hooksUrl, CHANNEL_SECRET, { mode: 'closed', concurrency: 4, durationSec: quick ? 3 : 8 });
  const saturation = await fleet.settle(1000);
  const spanSec = Number(saturation.lastArrivalNs - BigInt(saturationPosted.firstStampNs)) / 1e9;
  return {
    lastClientP99Ms: percentile(lastClient, 99),
    lost,
    posted,
    paced,
    saturationFramesPerSec: saturation.frames / spanSec,
    saturation,
    saturationPosted,
  };
}

export const fanoutFigure: FigureModule = async ({ quick, log }) => {
  let relayOutcome: Outcome;
  const database = createRelayDatabase();
  const relay = await startRelay(database.file);
  try {
    const fleet = await ClientFleet.start({ url: `${relay.wsUrl}/stream`, token: database.issueToken(), total: CLIENTS, processes: 4, waitFor: 'live' });
    try {
      relayOutcome = await measure(`${relay.url}/hooks/${CHANNEL}`, fleet, quick);
    } finally {
      await fleet.close();
    }
  } finally {
    await relay.stop();
    database.remove();
  }
  log(`fan-out relay: last-client p99 ${round(relayOutcome.lastClientP99Ms, 1)} ms, lost ${relayOutcome.lost}, saturation ${Math.round(relayOutcome.saturationFramesPerSec)} frames/s`);

  const frameBytes = relayOutcome.paced.frameBytes;
  const anchorServer = startNode(workerScript('bareBroadcastServer'), [JSON.stringify({ frameBytes })], { core: SERVER_CORE });
  let anchorOutcome: Outcome;
  try {
    const [, url] = await anchorServer.waitForOutput(/listening on (http:\S+)/);
    const fleet = await ClientFleet.start({ url: url!.replace(/^http/, 'ws'), total: CLIENTS, processes: 4, waitFor: 'open' });
    try {
      anchorOutcome = await measure(`${url}/hooks/${CHANNEL}`, fleet, quick);
    } finally {
      await fleet.close();
    }
  } finally {
    await anchorServer.stop();
  }
  log(`fan-out anchor: last-client p99 ${round(anchorOutcome.lastClientP99Ms, 1)} ms, lost ${anchorOutcome.lost}, saturation ${Math.round(anchorOutcome.saturationFramesPerSec)} frames/s`);

  const r = relayOutcome;
  const a = anchorOutcome;
  const closes = (report: MergedReport) => (report.closedEarly === 0 ? 'none' : JSON.stringify(report.closeCodes));
  const ratio = ratioOf(r.saturationFramesPerSec, a.saturationFramesPerSec);
  return [
    {
      name: `fan-out: p99 to the last of ${CLIENTS.toLocaleString('en-US')} clients, ${PER_SECOND} deliveries/s`,
      value: round(r.lastClientP99Ms, 1),
      unit: 'ms',
      anchor: { what: 'bare ws broadcast of one prebuilt buffer, p99 to last client', value: round(a.lastClientP99Ms, 1), unit: 'ms' },
      ratio: round(ratioOf(r.lastClientP99Ms, a.lastClientP99Ms) ?? NaN, 2),
      // Issue #16's bar: next to bare ws in the same run (issue #6 had an absolute 50 ms).
      bar: 'ratio ≤ 1.2',
      met: (ratioOf(r.lastClientP99Ms, a.lastClientP99Ms) ?? Number.POSITIVE_INFINITY) <= 1.2,
      note: `${r.posted.ok} deliveries (${frameBytes}-byte frames) to ${r.paced.clients} clients; closed sockets: ${closes(r.paced)}`,
    },
    {
      name: `fan-out: frames lost, ${CLIENTS.toLocaleString('en-US')} clients, ${PER_SECOND} deliveries/s`,
      value: r.lost,
      unit: 'frames',
      anchor: { what: 'bare ws broadcast, frames lost', value: a.lost, unit: 'frames' },
      ratio: null,
      bar: '= 0',
      met: r.lost === 0,
      note: `expected ${r.posted.ok * CLIENTS} frames, received ${r.paced.samples.length}`,
    },
    {
      name: `fan-out at saturation: frames/s to ${CLIENTS.toLocaleString('en-US')} clients`,
      value: round(r.saturationFramesPerSec, 0),
      unit: 'frames/s',
      anchor: { what: 'bare ws broadcast at saturation', value: round(a.saturationFramesPerSec, 0), unit: 'frames/s' },
      ratio: ratio === null ? null : round(ratio, 3),
      bar: 'ratio ≥ 0.5',
      met: ratio !== null && ratio >= 0.5,
      note: `relay: ${r.saturationPosted.ok} deliveries in ${round(r.saturationPosted.durationSec, 1)} s, ${r.saturation.frames} frames, closed sockets: ${closes(r.saturation)}; ` +
        `anchor: ${a.saturationPosted.ok} deliveries, ${a.saturation.frames} frames, closed sockets: ${closes(a.saturation)}`,
    },
  ];
};
