/** Polling the Cirrus GraphQL API for a list of repositories: no relay needed. */
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { PreparedSource, SourceDependencies } from '../contract.js';
import { createCirrusBuildActions } from './actions.js';
import { createCirrusPoller } from './poller.js';

export interface CirrusPollChoice {
  readonly kind: 'cirrus';
  readonly api: CirrusApi;
  readonly repositories: readonly string[];
  readonly intervalMs: number;
}

export function prepareCirrusPoller(choice: CirrusPollChoice, deps: SourceDependencies): PreparedSource {
  const label = `Cirrus API (${choice.repositories.length} ${choice.repositories.length === 1 ? 'repository' : 'repositories'})`;
  let stopPoller: (() => void) | undefined;
  return {
    label,
    actions: [createCirrusBuildActions(choice.api)],
    async start(sink) {
      sink.setConnection({ connected: false, source: label, reason: 'first poll' });
      const poller = createCirrusPoller({
        api: choice.api,
        repositories: choice.repositories,
        intervalMs: choice.intervalMs,
        clock: deps.clock,
        logger: deps.logger,
        onEvent: (event) => sink.handle(event),
        onError: (error) => sink.setConnection({ connected: false, source: label, reason: error.message }),
      });
      stopPoller = () => poller.stop();
      const first = await poller.pollNow();
      if (first.ok) sink.setConnection({ connected: true, source: label, reason: null });
      poller.start();
    },
    stop: async () => stopPoller?.(),
  };
}
