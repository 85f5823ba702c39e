/** Polling the Cirrus GraphQL API for a list of repositories: no relay needed. */
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { PreparedSource, SourceDependencies } from '../contract.js';
import { countOf, preparePollingSource } from '../pollingSource.js';
import { createCirrusBuildActions } from './actions.js';
import { createCirrusPoller } from './poller.js';
import { createCirrusFailureDetail } from './failureDetail.js';

export interface CirrusPollChoice {
  readonly kind: 'cirrus';
  readonly api: CirrusApi;
  readonly repositories: readonly string[];
  readonly intervalMs: number;
}

export function prepareCirrusPoller(choice: CirrusPollChoice, deps: SourceDependencies): PreparedSource {
  const source = preparePollingSource({
    label: `Cirrus API (${countOf(choice.repositories.length, 'repository', 'repositories')})`,
    ci: 'Cirrus CI',
    actions: [createCirrusBuildActions(choice.api)],
    createPoller: (reports) =>
      createCirrusPoller({ api: choice.api, repositories: choice.repositories, intervalMs: choice.intervalMs, clock: deps.clock, logger: deps.logger, onEvent: reports.onEvent, onError: reports.onError }),
  });
  return { ...source, failureDetail: createCirrusFailureDetail(choice.api) };
}
