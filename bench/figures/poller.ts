/**
 * poller: GraphQL requests per poll interval for 20 watched repositories. The built poller and
 * Cirrus client (dist/) poll the simulator's GraphQL endpoint through countingFetch, which counts
 * every request the client starts; the simulator counts what it answered, as a cross-check.
 * Anchor: one request per repository, what CCMenu and Gitify do.
 */
import type * as Ports from '../../src/core/ports.js';
import type * as Client from '../../src/providers/cirrus/api/client.js';
import type * as Counting from '../../src/providers/cirrus/api/countingFetch.js';
import type * as Poller from '../../src/client/sources/cirrus/poller.js';
import type * as Simulator from '../../src/sim/simulator.js';
import { loadBuilt } from '../lib/built.js';
import type { FigureModule } from '../lib/figure.js';
import { round } from '../lib/stats.js';

const REPOSITORIES = 20;

export const pollerFigure: FigureModule = async ({ quick, log }) => {
  const { silentLogger } = await loadBuilt<typeof Ports>('core/ports.js');
  const { createCirrusApi } = await loadBuilt<typeof Client>('providers/cirrus/api/client.js');
  const { countingFetch } = await loadBuilt<typeof Counting>('providers/cirrus/api/countingFetch.js');
  const { createCirrusPoller } = await loadBuilt<typeof Poller>('client/sources/cirrus/poller.js');
  const { startSimulator } = await loadBuilt<typeof Simulator>('sim/simulator.js');

  const repositories = Array.from({ length: REPOSITORIES }, (_, i) => ({ owner: 'acme', name: `service-${String(i + 1).padStart(2, '0')}` }));
  const simulator = await startSimulator({ repositories, seed: 6, speed: 60 });
  try {
    const counting = countingFetch();
    const api = createCirrusApi({ endpoint: simulator.graphqlUrl!, fetch: counting.fetch });
    let events = 0;
    const poller = createCirrusPoller({
      api, repositories: repositories.map((r) => `${r.owner}/${r.name}`), intervalMs: 15_000,
      clock: Date.now, logger: silentLogger, onEvent: () => (events += 1),
    });
    // Each pollNow() is one interval's poll (the schedule itself is not waited for: it only
    // decides when, not how many requests a poll makes).
    const polls = quick ? 3 : 6;
    for (let i = 0; i < polls; i += 1) {
      const result = await poller.pollNow();
      if (!result.ok) throw new Error(`poll failed: ${result.error.message}`);
    }
    poller.stop();
    const perPoll = counting.count() / polls;
    log(`poller: ${counting.count()} requests for ${polls} polls of ${REPOSITORIES} repositories`);
    return [{
      name: `poller: requests per interval, ${REPOSITORIES} watched repositories`,
      value: round(perPoll, 2),
      unit: 'requests',
      anchor: { what: 'one per repository (CCMenu, Gitify)', value: REPOSITORIES, unit: 'requests' },
      ratio: round(perPoll / REPOSITORIES, 3),
      bar: 'exactly 1',
      met: perPoll === 1 && simulator.graphqlRequestCount() === polls,
      note: `${polls} polls: ${counting.count()} requests sent, ${simulator.graphqlRequestCount()} answered by the simulator, ${events} events`,
    }];
  } finally {
    await simulator.stop();
  }
};
