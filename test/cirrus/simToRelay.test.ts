/**
 * The simulator's webhooks into the real relay: every signed delivery is accepted (2xx), stored,
 * and streamed to a desktop as the same normalised event the simulator feeds in-process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEvent } from '../../src/core/event.js';
import type { Relay } from '../../src/relay/server.js';
import { startRelay } from '../../src/relay/server.js';
import type { Simulator } from '../../src/sim/simulator.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { seedRelayDatabase, StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The parts of an event both paths must agree on (ids and receive times are each path's own). */
const content = (event: NormalisedEvent) => ({ ...event, id: undefined, receivedAt: undefined });

describe('simulator → relay → stream', () => {
  it('delivers the opening failure signed and in order, and the relay streams it unchanged', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir);
    const relay: Relay = await startRelay({ database: seeded.file, port: 0, host: '127.0.0.1' });
    cleanups.push(() => relay.close());
    const client = await StreamRecorder.connect(relay.url, seeded.issueToken().token, 0);
    cleanups.push(() => client.close());

    const sim: Simulator = await startSimulator({
      autoAdvance: false, graphql: false, seed: 17, relay: { url: `${relay.url}/hooks/acme`, secret: TEST_SECRET },
    });
    cleanups.push(() => sim.stop());
    const fed: NormalisedEvent[] = [];
    sim.onEvent((e) => fed.push(e.event));

    sim.advance(15_000);
    await sim.deliveriesSettled();
    expect(fed.some((e) => e.kind === 'build' && e.build.status === 'FAILED')).toBe(true);

    await client.waitForEvents(fed.length);
    const streamed = client.events.map((frame) => frame.event);
    expect(streamed.map(content)).toEqual(fed.map(content));
  });
});
