/**
 * The demo as a source: a simulator's events, and Approve and Re-run through the simulator's own
 * API. The simulator itself is started by the shell and handed in (`DemoStarter`), so the client
 * never loads it (graphql-js alone is about 20 MiB of a long-running process's memory) and
 * `src/client/` does not depend on `src/sim/`.
 */
import type { NormalisedEvent, Provider } from '../../../core/event.js';
import type { Logger } from '../../../core/ports.js';
import { createCirrusApi } from '../../../providers/cirrus/api/client.js';
import { createGithubApi } from '../../../providers/github/api/client.js';
import type { SourceActions } from '../actionRouter.js';
import { createCirrusBuildActions } from '../cirrus/actions.js';
import type { PreparedSource } from '../contract.js';
import type { FailureDetailPort } from '../../../core/failureDetailPort.js';
import { createCirrusFailureDetail } from '../cirrus/failureDetail.js';
import { createGithubBuildActions } from '../github/actions.js';
import { gitlabDemoActions } from '../gitlab/actions.js';
import { createGitlabFailureDetail } from '../gitlab/failureDetail.js';
import { createGitlabApi } from '../../../providers/gitlab/api/client.js';
import { createGithubFailureDetail } from '../github/failureDetail.js';
import { RateGate } from '../rateGate.js';

/** A running simulator, as the demo source needs it. */
export interface DemoFeed {
  readonly provider: Provider;
  /** Where its actions go: the GraphQL endpoint (Cirrus) or the REST API base (GitHub, GitLab). */
  readonly apiUrl: string;
  /** A token the simulator accepts for writes. */
  readonly writeToken: string;
  onEvent(listener: (event: NormalisedEvent) => void): () => void;
  stop(): Promise<void>;
}

export interface DemoOptions {
  readonly provider: Provider;
  /** Seeds the story. Default 1. */
  readonly seed?: number;
  /** Simulated time per real time. Default 1 (the first failing build within 15 s). */
  readonly speed?: number;
  readonly logger: Logger;
}

/** Starts a simulator; the shells pass one (`src/sim/demoFeed.ts`), tests may pass their own. */
export type DemoStarter = (options: DemoOptions) => Promise<DemoFeed>;

/** The actions of a provider's demo API; a provider without them here offers none. */
export type DemoActionsFactory = (feed: DemoFeed) => readonly SourceActions[];

const DEMO_ACTIONS: Partial<Record<Provider, DemoActionsFactory>> = {
  cirrus: (feed) => [createCirrusBuildActions(createCirrusApi({ endpoint: feed.apiUrl, token: feed.writeToken }))],
  // The simulator's runs link to github.com pages it does not serve: its actions take any host.
  github: (feed) => [createGithubBuildActions(createGithubApi({ baseUrl: feed.apiUrl, token: feed.writeToken }), undefined)],
  gitlab: gitlabDemoActions,
};

/**
 * Why a demo build failed, from the simulator's API, so the demo shows it. The gate's clock only
 * ends a pause the simulated rate limit asked for: real time, like the limit's hour.
 */
const DEMO_FAILURE_DETAIL: Partial<Record<Provider, (feed: DemoFeed) => FailureDetailPort>> = {
  cirrus: (feed) => createCirrusFailureDetail(createCirrusApi({ endpoint: feed.apiUrl, token: feed.writeToken })),
  github: (feed) => createGithubFailureDetail(createGithubApi({ baseUrl: feed.apiUrl, token: feed.writeToken }), { webHost: undefined, gate: new RateGate(Date.now, 0) }),
  gitlab: (feed) => createGitlabFailureDetail(createGitlabApi({ baseUrl: feed.apiUrl, token: feed.writeToken }), { webHost: undefined, gate: new RateGate(Date.now, 0) }),
};

const SIMULATED: Readonly<Record<Provider, string>> = { cirrus: 'simulator', github: 'GitHub simulator', gitlab: 'GitLab simulator' };

export function prepareDemoSource(feed: DemoFeed, extraActions: Partial<Record<Provider, DemoActionsFactory>> = {}): PreparedSource {
  const label = `demo (built-in ${SIMULATED[feed.provider]})`;
  const actionsOf = extraActions[feed.provider] ?? DEMO_ACTIONS[feed.provider];
  let unsubscribe: (() => void) | undefined;
  return {
    label,
    actions: actionsOf ? actionsOf(feed) : [],
    ...(DEMO_FAILURE_DETAIL[feed.provider] ? { failureDetail: DEMO_FAILURE_DETAIL[feed.provider]!(feed) } : {}),
    async start(sink) {
      sink.setConnection({ connected: true, source: label, reason: null });
      unsubscribe = feed.onEvent((event) => sink.handle(event));
    },
    async stop() {
      unsubscribe?.();
      await feed.stop();
    },
  };
}
