/** 100 clients that never read: others keep their latency (within 2x), the stuck ones are cut off at the cap, memory stays bounded. */
import { afterEach, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../support/processes.js';

afterEach(async () => {
  await killStartedProcesses();
});
import { runSlowConsumerScenario } from './slowConsumers.js';

describe('stuck consumers', () => {
  it('do not slow the others down more than 2x, are cut off at the buffer cap, and memory stays bounded', async () => {
    const figures = await runSlowConsumerScenario({ stuckClients: 100, deliveries: 300, stuckDeliveries: 2500 });
    console.log('stuck consumers:', JSON.stringify(figures));
    expect(figures.readerEvents).toBe(2820);
    expect(figures.stuckLeft).toBe(0);
    // A floor of 1 ms: on a quiet loopback the baseline is a couple of fsyncs, and jitter is not load.
    expect(figures.stuckP50Ms).toBeLessThanOrEqual(2 * Math.max(1, figures.baselineP50Ms));
    expect(figures.stuckP95Ms).toBeLessThanOrEqual(2 * Math.max(1, figures.baselineP95Ms));
    // The cap is 1 MiB a client (the default): 100 stuck clients may hold about 100 MiB at most.
    expect(figures.rssGrowthMb).toBeLessThan(128);
  }, 120_000);
});
