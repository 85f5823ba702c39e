/**
 * 100 clients that never read: the reader still gets everything, the stuck ones are cut off at
 * the cap, memory stays bounded. How much the reader's latency moves is a figure of `npm run
 * soak` (2x bar), not asserted here: on a loaded 2-core machine a p95 ratio measures the load.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../support/processes.js';

afterEach(async () => {
  await killStartedProcesses();
});
import { runSlowConsumerScenario } from './slowConsumers.js';

describe('stuck consumers', () => {
  it('do not keep the others from their events, are cut off at the buffer cap, and memory stays bounded', async () => {
    const figures = await runSlowConsumerScenario({ stuckClients: 100, deliveries: 300, stuckDeliveries: 2500 });
    console.log('stuck consumers:', JSON.stringify(figures));
    expect(figures.readerEvents).toBe(2820);
    expect(figures.stuckLeft).toBe(0);
    // The cap is 1 MiB a client (the default): 100 stuck clients may hold about 100 MiB at most.
    expect(figures.rssGrowthMb).toBeLessThan(128);
  }, 120_000);
});
