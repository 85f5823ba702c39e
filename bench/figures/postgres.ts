/**
 * Several relays on one PostgreSQL database (issue #15):
 * - ingest: signed deliveries/s through two relays at once (the load split between them, 25
 *   connections each), next to the same rows inserted straight with the `pg` driver in the same
 *   run (workers/postgresInsert.ts): what the relays keep of what the database can take.
 * - cross-instance latency: deliveries posted to relay A at 100/s, 50 clients on relay B, from
 *   the POST to B's client; anchor: the same with the clients on A (same-instance), same run.
 */
import { ClientFleet } from '../lib/clients.js';
import type { Figure, FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { workerScript } from '../lib/paths.js';
import { postDeliveries } from '../lib/post.js';
import { startBenchPostgres } from '../lib/postgres.js';
import { LOAD_CORE, startNode } from '../lib/processes.js';
import { CHANNEL, CHANNEL_SECRET, startRelay, type RunningRelay } from '../lib/relay.js';
import { percentile, round, sleep, sortedCopy } from '../lib/stats.js';

interface LoadResult { kind: 'ingest'; ok2xx: number; non2xx: number; errors: number; timeouts: number; durationSec: number; latencyP99Ms: number }
interface InsertResult { kind: 'postgres-insert'; rows: number; durationSec: number }

const CONNECTIONS = 50;
const CLIENTS = 50;
const PER_SECOND = 100;

export const postgresFigure: FigureModule = async ({ quick, log }) => {
  const durationSec = quick ? 4 : 10;
  const warmupSec = quick ? 1 : 2;
  const postgres = await startBenchPostgres();
  const relays: RunningRelay[] = [];
  try {
    const inserter = startNode(workerScript('postgresInsert'), [JSON.stringify({ url: postgres.url, connections: CONNECTIONS, durationSec, warmupSec })], { core: LOAD_CORE });
    const anchor = await inserter.waitForMessage((m): m is InsertResult => (m as { kind?: unknown }).kind === 'postgres-insert', (durationSec + warmupSec + 60) * 1000);
    await inserter.stop();
    const anchorRate = anchor.rows / anchor.durationSec;
    log(`postgres ingest anchor: ${Math.round(anchorRate)} rows/s (pg driver, autocommit)`);

    relays.push(await startRelay(postgres.url), await startRelay(postgres.url));
    const loads = relays.map((relay) =>
      startNode(workerScript('ingestLoad'), [JSON.stringify({ url: `${relay.url}/hooks/${CHANNEL}`, connections: CONNECTIONS / 2, durationSec, warmupSec, secret: CHANNEL_SECRET })], { core: LOAD_CORE }),
    );
    const results = await Promise.all(loads.map((load) => load.waitForMessage((m): m is LoadResult => (m as { kind?: unknown }).kind === 'ingest', (durationSec + warmupSec + 60) * 1000)));
    await Promise.all(loads.map((load) => load.stop()));
    const rate = results.reduce((sum, result) => sum + result.ok2xx / result.durationSec, 0);
    const problems = results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0);
    log(`postgres ingest, two relays: ${Math.round(rate)} deliveries/s`);
    const ingestRatio = ratioOf(rate, anchorRate);
    const ingest: Figure = {
      name: `ingest on PostgreSQL: two relays, ${CONNECTIONS} connections split between them`,
      value: round(rate, 0),
      unit: 'deliveries/s',
      anchor: { what: 'the same rows inserted with the pg driver, same concurrency', value: round(anchorRate, 0), unit: 'rows/s' },
      ratio: ingestRatio === null ? null : round(ingestRatio, 3),
      bar: 'ratio ≥ 0.5',
      met: ingestRatio !== null && ingestRatio >= 0.5 && problems === 0,
      note: `${results.map((result) => result.ok2xx).join(' + ')} deliveries committed; p99 answers ${results.map((result) => result.latencyP99Ms).join(' / ')} ms; non-2xx, errors and timeouts ${problems}`,
    };

    // Latency: the same deliveries, clients on the other instance, then on the same one.
    const [a, b] = relays as [RunningRelay, RunningRelay];
    const latency = async (clientsOn: RunningRelay) => {
      const fleet = await ClientFleet.start({ url: `${clientsOn.wsUrl}/stream`, token: postgres.issueToken(), total: CLIENTS, processes: 1, waitFor: 'live' });
      try {
        await postDeliveries(`${a.url}/hooks/${CHANNEL}`, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count: PER_SECOND });
        await sleep(500);
        await fleet.reset();
        const count = (quick ? 4 : 10) * PER_SECOND;
        const posted = await postDeliveries(`${a.url}/hooks/${CHANNEL}`, CHANNEL_SECRET, { mode: 'rate', perSecond: PER_SECOND, count });
        const seen = await fleet.settle(1000);
        return { samples: sortedCopy(seen.samples), expected: posted.ok * CLIENTS, failed: posted.failed };
      } finally {
        await fleet.close();
      }
    };
    const cross = await latency(b);
    const same = await latency(a);
    log(`postgres latency: cross-instance p50 ${round(percentile(cross.samples, 50), 2)} / p99 ${round(percentile(cross.samples, 99), 2)} ms; same instance p50 ${round(percentile(same.samples, 50), 2)} / p99 ${round(percentile(same.samples, 99), 2)} ms`);
    const missing = cross.expected - cross.samples.length + (same.expected - same.samples.length);
    const row = (p: 50 | 99, limit: string, within: (value: number, anchor: number) => boolean): Figure => {
      const value = percentile(cross.samples, p);
      const anchorValue = percentile(same.samples, p);
      return {
        name: `cross-instance latency p${p}: POST to relay A → client on relay B, ${CLIENTS} clients, ${PER_SECOND}/s`,
        value: round(value, 2),
        unit: 'ms',
        anchor: { what: `same-instance p${p} (clients on A), same run`, value: round(anchorValue, 2), unit: 'ms' },
        ratio: round(ratioOf(value, anchorValue) ?? NaN, 2),
        bar: limit,
        met: within(value, anchorValue) && missing === 0 && cross.failed + same.failed === 0,
        note: `${cross.samples.length} cross and ${same.samples.length} same-instance samples, ${missing} missing; NOTIFY carries the head, B reads the rows`,
      };
    };
    // B learns of a commit from NOTIFY and reads the rows itself: one database round trip more than A.
    return [ingest, row(50, '≤ same-instance + 5 ms', (v, anchorValue) => v <= anchorValue + 5), row(99, '≤ same-instance + 10 ms', (v, anchorValue) => v <= anchorValue + 10)];
  } finally {
    for (const relay of relays) await relay.stop();
    await postgres.stop();
  }
};
