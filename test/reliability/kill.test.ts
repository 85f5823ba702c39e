/**
 * Nothing acknowledged is lost (issue #5, short form): 2,000 signed deliveries, the relay killed
 * with SIGKILL 3 times at random moments and restarted, 3 clients subscribed throughout. The soak
 * (`npm run soak`) runs the same scenario with 20,000 deliveries and 20 kills.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../support/processes.js';
import { runKillScenario } from './killScenario.js';

afterEach(async () => {
  await killStartedProcesses();
});

describe('the relay under kill -9', () => {
  it('delivers every acknowledged delivery to every client exactly once, in order, and invents nothing', async () => {
    const figures = await runKillScenario({ deliveries: 2000, kills: 3, clients: 3, concurrency: 8, seed: 5 });
    console.log('kill -9 scenario:', JSON.stringify(figures));
    expect(figures.kills).toBe(3);
    expect(figures.sent).toBe(2000);
    expect(figures.acknowledged).toBeGreaterThan(1900);
    expect(figures.received).toBe(figures.acknowledged);
    expect({ lost: figures.lost, duplicates: figures.duplicates, invented: figures.invented, outOfOrder: figures.outOfOrder })
      .toEqual({ lost: 0, duplicates: 0, invented: 0, outOfOrder: 0 });
  }, 180_000);
});
