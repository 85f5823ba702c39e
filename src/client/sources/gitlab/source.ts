/**
 * The GitLab sources a session offers: polling the REST API (no relay), and the demo fed by the
 * built-in GitLab simulator, which the shell starts and hands in (the client never imports the
 * simulator). Both feed the engine normalised events and give it approve and re-run through the
 * GitLab API; the engine does not know which provider it is talking to.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import type { GitlabApi } from '../../../providers/gitlab/api/client.js';
import type { PreparedSource, SourceDependencies } from '../contract.js';
import { countOf, preparePollingSource } from '../pollingSource.js';
import { prepareDemoSource, type DemoFeed } from '../demo/source.js';
import { RateGate } from '../rateGate.js';
import { createGitlabBuildActions, gitlabDemoActions, gitlabWebHost } from './actions.js';
import { createGitlabFailureDetail } from './failureDetail.js';
import { createGitlabPoller } from './poller.js';

export interface GitlabPollChoice {
  readonly kind: 'gitlab';
  readonly api: GitlabApi;
  /** The API base the client talks to (undefined: https://gitlab.com/api/v4): says which host's pipelines it can act on. */
  readonly apiUrl?: string;
  /** Each project's full path: `group/project` or `group/subgroup/project`. */
  readonly repositories: readonly string[];
  readonly intervalMs: number;
}

/**
 * What the demo needs of a running GitLab simulator (`startGitlabSimulator` in src/sim/gitlab
 * gives all of it): its REST API, a token that may play and retry there, its events, and stop.
 */
export interface GitlabDemoSimulator {
  /** The simulator's REST API base, `http://127.0.0.1:<port>/api/v4`; null when it serves none. */
  readonly apiUrl: string | null;
  /** A token its API lets play and retry; null when it accepts none. */
  readonly writeToken: string | null;
  onEvent(listener: (delivery: { readonly event: NormalisedEvent }) => void): () => void;
  stop(): Promise<void>;
}

export function prepareGitlabPoller(choice: GitlabPollChoice, deps: SourceDependencies): PreparedSource {
  // The token's budget, shared by the listings and the failure detail; detail leaves two rounds of listings.
  const gate = new RateGate(deps.clock, 2 * choice.repositories.length);
  const source = preparePollingSource({
    label: `GitLab API (${countOf(choice.repositories.length, 'project', 'projects')})`,
    ci: 'GitLab',
    actions: [createGitlabBuildActions(choice.api, gitlabWebHost(choice.apiUrl))],
    createPoller: (reports) => {
      const poller = createGitlabPoller({ api: choice.api, repositories: choice.repositories, intervalMs: choice.intervalMs, clock: deps.clock, logger: deps.logger, gate, ...reports });
      return { ...poller, pausedUntil: () => poller.stats().pausedUntil };
    },
  });
  return { ...source, failureDetail: createGitlabFailureDetail(choice.api, { webHost: gitlabWebHost(choice.apiUrl), gate }) };
}

/**
 * The demo on a GitLab simulator the shell started: the generic demo source (its label, events
 * and stop) with the GitLab actions. Stopping the source stops the simulator.
 */
export function prepareGitlabDemo(simulator: GitlabDemoSimulator, deps: SourceDependencies): PreparedSource {
  const { apiUrl, writeToken } = simulator;
  if (apiUrl === null || writeToken === null) {
    throw new TypeError('the GitLab demo needs a simulator serving its REST API with a write token (start it with api: true)');
  }
  deps.logger.info('GitLab demo on the simulator', { api: apiUrl });
  const feed: DemoFeed = {
    provider: 'gitlab',
    apiUrl,
    writeToken,
    onEvent: (listener) => simulator.onEvent(({ event }) => listener(event)),
    stop: () => simulator.stop(),
  };
  return prepareDemoSource(feed, { gitlab: gitlabDemoActions });
}
