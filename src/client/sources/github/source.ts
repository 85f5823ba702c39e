/**
 * Polling the GitHub REST API for workflow runs (no relay): normalised events for the engine, and
 * approve and re-run through the same API; the engine does not know which provider it talks to.
 */
import type { GithubApi } from '../../../providers/github/api/client.js';
import { createGithubBuildActions, githubWebHost } from './actions.js';
import { createGithubFailureDetail } from './failureDetail.js';
import { createGithubPoller } from './poller.js';
import { RateGate } from '../rateGate.js';
import type { PreparedSource, SourceDependencies } from '../contract.js';
import { countOf, preparePollingSource } from '../pollingSource.js';

export interface GithubPollChoice {
  readonly kind: 'github';
  readonly api: GithubApi;
  /** The API base the client talks to (undefined: api.github.com): says which host's runs it can act on. */
  readonly apiUrl?: string;
  /** `owner/name` of each repository to watch. */
  readonly repositories: readonly string[];
  readonly intervalMs: number;
}

export function prepareGithubPoller(choice: GithubPollChoice, deps: SourceDependencies): PreparedSource {
  // The token's budget, shared by the listings and the failure detail; detail leaves two rounds of listings.
  const gate = new RateGate(deps.clock, 2 * choice.repositories.length);
  const source = preparePollingSource({
    label: `GitHub API (${countOf(choice.repositories.length, 'repository', 'repositories')})`,
    ci: 'GitHub',
    actions: [createGithubBuildActions(choice.api, githubWebHost(choice.apiUrl))],
    createPoller: (reports) => {
      const poller = createGithubPoller({ api: choice.api, repositories: choice.repositories, intervalMs: choice.intervalMs, clock: deps.clock, logger: deps.logger, gate, ...reports });
      return { ...poller, pausedUntil: () => poller.stats().pausedUntil };
    },
  });
  return { ...source, failureDetail: createGithubFailureDetail(choice.api, { webHost: githubWebHost(choice.apiUrl), gate }) };
}
