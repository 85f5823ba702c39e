/**
 * Two relays on one PostgreSQL database under kill -9 (issue #15, short form): deliveries posted
 * to both, either instance SIGKILLed at random moments and restarted, clients that know both
 * instances moving to the other and resuming from their cursor. Nothing acknowledged is lost,
 * nothing arrives twice or out of order. The soak runs it longer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { killStartedProcesses } from '../support/processes.js';
import { seededPostgres } from '../support/postgresRelay.js';
import { runKillScenario } from './killScenario.js';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterEach(async () => {
  await killStartedProcesses();
});
afterAll(async () => {
  await postgres?.stop();
});

describe('two relays on PostgreSQL under kill -9', () => {
  it('deliver every acknowledged delivery to every client once, in order, while either instance dies', async () => {
    const figures = await runKillScenario({ deliveries: 600, kills: 3, clients: 3, concurrency: 6, seed: 15, postgres: await seededPostgres(postgres) });
    console.log('kill -9 scenario, two relays on PostgreSQL:', JSON.stringify(figures));
    expect(figures.kills).toBe(3);
    expect(figures.received).toBe(figures.acknowledged);
    expect(figures.acknowledged).toBeGreaterThan(550);
    expect({ lost: figures.lost, duplicates: figures.duplicates, invented: figures.invented, outOfOrder: figures.outOfOrder })
      .toEqual({ lost: 0, duplicates: 0, invented: 0, outOfOrder: 0 });
  }, 180_000);
});
