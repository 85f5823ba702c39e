/**
 * Polling the GitHub REST API for workflow runs (no relay): normalised events for the engine, and
 * approve and re-run through the same API; the engine does not know which provider it talks to.
 */
import type { GithubApi } from '../../../providers/github/api/client.js';
import { createGithubBuildActions, githubWebHost } from './actions.js';
import { createGithubPoller } from './poller.js';
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
  return preparePollingSource({
    label: `GitHub API (${countOf(choice.repositories.length, 'repository', 'repositories')})`,
    ci: 'GitHub',
    actions: [createGithubBuildActions(choice.api, githubWebHost(choice.apiUrl))],
    createPoller: (reports) => {
      const poller = createGithubPoller({ api: choice.api, repositories: choice.repositories, intervalMs: choice.intervalMs, clock: deps.clock, logger: deps.logger, ...reports });
      return { ...poller, pausedUntil: () => poller.stats().pausedUntil };
    },
  });
}
