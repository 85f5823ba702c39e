/**
 * ingest: signed Cirrus deliveries per second that the relay verifies, validates, commits and
 * answers 2xx, under 50 connections of all-distinct bodies, next to a bare node:http server that
 * only reads the body and answers 200 under the same load. Server on core 0, autocannon on core 1.
 * Only 2xx answers count; any other answer or error is reported in the note.
 */
import type { Figure, FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { workerScript } from '../lib/paths.js';
import { cpuSeconds } from '../lib/procfs.js';
import { LOAD_CORE, SERVER_CORE, startNode } from '../lib/processes.js';
import { CHANNEL, CHANNEL_SECRET, createRelayDatabase, startRelay } from '../lib/relay.js';
import { round } from '../lib/stats.js';

interface LoadResult { kind: 'ingest'; ok2xx: number; non2xx: number; errors: number; timeouts: number; durationSec: number; latencyP99Ms: number }
const isLoadResult = (message: unknown): message is LoadResult => (message as { kind?: unknown }).kind === 'ingest';
const isWarm = (message: unknown): message is { kind: 'ingest-warm' } => (message as { kind?: unknown }).kind === 'ingest-warm';

interface Measured extends LoadResult {
  /** The server's CPU time (all its threads, user + system) per 2xx answer, in µs: what a core can serve, whatever else runs on the machine. */
  readonly cpuMicrosPerRequest: number;
}

const CONNECTIONS = 50;

async function load(url: string, serverPid: number, durationSec: number, warmupSec: number): Promise<Measured> {
  const generator = startNode(workerScript('ingestLoad'), [JSON.stringify({ url, connections: CONNECTIONS, durationSec, warmupSec, secret: CHANNEL_SECRET })], { core: LOAD_CORE });
  try {
    await generator.waitForMessage(isWarm, (warmupSec + 60) * 1000);
    const cpuBefore = cpuSeconds(serverPid);
    const result = await generator.waitForMessage(isLoadResult, (durationSec + 60) * 1000);
    const cpuMicrosPerRequest = result.ok2xx === 0 ? Number.NaN : ((cpuSeconds(serverPid) - cpuBefore) * 1e6) / result.ok2xx;
    return { ...result, cpuMicrosPerRequest };
  } finally {
    await generator.stop();
  }
}

export const ingestFigure: FigureModule = async ({ quick, log }) => {
  const durationSec = quick ? 4 : 10;
  const warmupSec = quick ? 1 : 2;

  const anchorServer = startNode(workerScript('bareHttpServer'), [], { core: SERVER_CORE });
  let anchor: Measured;
  try {
    const [, url] = await anchorServer.waitForOutput(/listening on (http:\S+)/);
    anchor = await load(`${url}/hooks/${CHANNEL}`, anchorServer.pid, durationSec, warmupSec);
  } finally {
    await anchorServer.stop();
  }
  const anchorRate = anchor.ok2xx / anchor.durationSec;
  log(`ingest anchor: ${Math.round(anchorRate)} req/s (bare node:http)`);

  const database = createRelayDatabase();
  let measured: Measured;
  try {
    const relay = await startRelay(database.file);
    try {
      measured = await load(`${relay.url}/hooks/${CHANNEL}`, relay.pid, durationSec, warmupSec);
    } finally {
      await relay.stop();
    }
  } finally {
    database.remove();
  }
  const rate = measured.ok2xx / measured.durationSec;
  log(`ingest relay: ${Math.round(rate)} deliveries/s; CPU per answer ${Math.round(measured.cpuMicrosPerRequest)} µs (anchor ${Math.round(anchor.cpuMicrosPerRequest)} µs)`);

  const problems = measured.non2xx + measured.errors + measured.timeouts;
  const ratio = ratioOf(rate, anchorRate);
  const figure: Figure = {
    name: `ingest: signed Cirrus deliveries/s, ${CONNECTIONS} connections, all bodies distinct`,
    value: round(rate, 0),
    unit: 'deliveries/s',
    anchor: { what: 'bare node:http server, same load', value: round(anchorRate, 0), unit: 'requests/s' },
    ratio: ratio === null ? null : round(ratio, 3),
    // Issue #16's bar (issue #6 had 0.25).
    bar: 'ratio ≥ 0.6',
    met: ratio !== null && ratio >= 0.6 && problems === 0,
    note: `${measured.ok2xx} deliveries committed in ${round(measured.durationSec, 1)} s, p99 answer ${measured.latencyP99Ms} ms; ` +
      `server CPU per answer ${Math.round(measured.cpuMicrosPerRequest)} µs (anchor ${Math.round(anchor.cpuMicrosPerRequest)} µs); ` +
      `non-2xx ${measured.non2xx}, errors ${measured.errors}, timeouts ${measured.timeouts}`,
  };
  return [figure];
};
