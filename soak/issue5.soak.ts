/**
 * The long forms of issue #5 (`npm run soak`; `-- --quick` for a smaller run): the kill -9
 * scenario at 20,000 deliveries and 20 kills, and with two relays on PostgreSQL (issue #15), and the whole hostile corpus; and issue 10's
 * unauthenticated-abuse phase beside honest traffic. Figures go to soak/results/latest.json as
 * each part finishes, so a failed part still leaves the others'.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../test/support/processes.js';
import { runHostileCorpus } from '../test/hostile/runner.js';
import { runAbuseScenario } from '../test/reliability/abuseScenario.js';
import { runKillScenario } from '../test/reliability/killScenario.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { seededPostgres } from '../test/support/postgresRelay.js';
import { runSlowConsumerScenario } from '../test/reliability/slowConsumers.js';

const quick = process.env['SOAK_PROFILE'] === 'quick';
const size = quick
  ? { deliveries: 4000, kills: 5, clients: 3 }
  : { deliveries: 20_000, kills: 20, clients: 5 };

const results: Record<string, unknown> = {
  profile: quick ? 'quick' : 'full',
  startedAt: new Date().toISOString(),
  sent: 0, acknowledged: 0, received: 0, lost: 0, duplicates: 0, hostilePassed: 0, hostileTotal: 0, peakRssMb: 0,
};
const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function record(part: Record<string, unknown>): void {
  Object.assign(results, part, { finishedAt: new Date().toISOString() });
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

const log = (line: string) => process.stdout.write(`  ${line}\n`);

afterAll(async () => {
  await killStartedProcesses();
});

describe(`issue #5 soak (${quick ? 'quick' : 'full'})`, () => {
  it(`loses nothing across ${size.kills} kill -9 during ${size.deliveries} deliveries`, async () => {
    const figures = await runKillScenario({ ...size, concurrency: 8, seed: 20_260_601, log });
    const { sent, acknowledged, received, lost, duplicates, invented, outOfOrder, kills, peakRssMb, durationMs } = figures;
    record({ sent, acknowledged, received, lost, duplicates, invented, outOfOrder, kills, peakRssMb: Math.max(peakRssMb, results['peakRssMb'] as number), kill: { durationMs, peakRssMb } });
    expect({ lost, duplicates, invented, outOfOrder }).toEqual({ lost: 0, duplicates: 0, invented: 0, outOfOrder: 0 });
    expect(received).toBe(acknowledged);
  });

  it(`loses nothing with two relays on PostgreSQL across ${size.kills} kill -9 of either`, async () => {
    const postgres = await startTestPostgres();
    try {
      const deliveries = Math.round(size.deliveries / 2);
      const figures = await runKillScenario({ ...size, deliveries, concurrency: 8, seed: 20_261_201, log, postgres: await seededPostgres(postgres) });
      const { sent, acknowledged, received, lost, duplicates, invented, outOfOrder, kills, peakRssMb, durationMs } = figures;
      record({ postgresKill: { sent, acknowledged, received, lost, duplicates, invented, outOfOrder, kills, peakRssMb, durationMs } });
      expect({ lost, duplicates, invented, outOfOrder }).toEqual({ lost: 0, duplicates: 0, invented: 0, outOfOrder: 0 });
      expect(received).toBe(acknowledged);
    } finally {
      await postgres.stop();
    }
  });

  it('keeps latency within 2x and memory bounded with 100 stuck consumers', async () => {
    const figures = await runSlowConsumerScenario({ stuckClients: 100, deliveries: 300, stuckDeliveries: quick ? 2500 : 5000 });
    record({ stuckConsumers: figures, peakRssMb: Math.max(figures.peakRssMb, results['peakRssMb'] as number) });
    expect(figures.stuckLeft).toBe(0);
    // A floor of 1 ms: on a quiet loopback the baseline is a couple of fsyncs, and jitter is not load.
    expect(figures.stuckP50Ms).toBeLessThanOrEqual(2 * Math.max(1, figures.baselineP50Ms));
    expect(figures.stuckP95Ms).toBeLessThanOrEqual(2 * Math.max(1, figures.baselineP95Ms));
  });

  it('loses nothing, keeps memory bounded and honest p99 within 2x beside unauthenticated abuse', async () => {
    const figures = await runAbuseScenario(quick
      ? { calmSeconds: 10, abuseSeconds: 10, prefilled: 2000, honestSenders: 4, honestPerSecond: 20, honestClients: 3, stalledBodies: 150, nonReadingStreams: 100, replaysPerSecond: 300, malformedPerSecond: 50, log }
      : { calmSeconds: 20, abuseSeconds: 20, prefilled: 5000, honestSenders: 4, honestPerSecond: 20, honestClients: 3, stalledBodies: 300, nonReadingStreams: 200, replaysPerSecond: 500, malformedPerSecond: 100, log });
    log(`abuse phase: ${JSON.stringify(figures)}`);
    record({ abuse: figures, peakRssMb: Math.max(figures.peakRssMb, results['peakRssMb'] as number) });
    expect(figures.acknowledged).toBeGreaterThan(0);
    expect(figures.lost).toBe(0);
    // Bounded: the calm relay plus one 1 MiB buffer cap for each of 128 connections would be generous.
    expect(figures.abuse.peakRssMb).toBeLessThan(figures.calm.peakRssMb + 128);
    expect(figures.p99Ratio).toBeLessThanOrEqual(2);
  });

  it('answers every hostile case as expected', async () => {
    const report = await runHostileCorpus();
    record({ hostilePassed: report.passed, hostileTotal: report.total, hostileFailures: report.failures.map((failure) => `${failure.id}: ${failure.detail}`) });
    expect(report.failures).toEqual([]);
    expect(report.leakedInLog).toEqual([]);
  });
});
