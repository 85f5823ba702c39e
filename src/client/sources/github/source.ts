/**
 * Polling the GitHub REST API for workflow runs (no relay): normalised events for the engine, and
 * approve and re-run through the same API; the engine does not know which provider it talks to.
 */
import type { GithubApi } from '../../../providers/github/api/client.js';
import { createGithubBuildActions, githubWebHost } from './actions.js';
import { createGithubPoller } from './poller.js';
import type { EventSink, PreparedSource, SourceDependencies } from '../contract.js';

export interface GithubPollChoice {
  readonly kind: 'github';
  readonly api: GithubApi;
  /** The API base the client talks to (undefined: api.github.com): says which host's runs it can act on. */
  readonly apiUrl?: string;
  /** `owner/name` of each repository to watch. */
  readonly repositories: readonly string[];
  readonly intervalMs: number;
}

/** What the tray says while the rate limit holds polling back: "GitHub rate limit: paused until 14:05". */
export function describeRateLimitPause(until: number): string {
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(until));
  return `GitHub rate limit: paused until ${time}`;
}

export function prepareGithubPoller(choice: GithubPollChoice, deps: SourceDependencies): PreparedSource {
  const count = choice.repositories.length;
  const label = `GitHub API (${count} ${count === 1 ? 'repository' : 'repositories'})`;
  let stopPoller: (() => void) | undefined;
  return {
    label,
    actions: [createGithubBuildActions(choice.api, githubWebHost(choice.apiUrl))],
    async start(sink: EventSink) {
      sink.setConnection({ connected: false, source: label, reason: 'first poll' });
      const poller = createGithubPoller({
        api: choice.api,
        repositories: choice.repositories,
        intervalMs: choice.intervalMs,
        clock: deps.clock,
        logger: deps.logger,
        onEvent: (event) => sink.handle(event),
        onError: (error) => sink.setConnection({ connected: false, source: label, reason: error.message }),
        onPause: (until) =>
          sink.setConnection(until === null ? { connected: true, source: label, reason: null } : { connected: false, source: label, reason: describeRateLimitPause(until) }),
      });
      stopPoller = () => poller.stop();
      const first = await poller.pollNow();
      if (first.ok && poller.stats().pausedUntil === null) sink.setConnection({ connected: true, source: label, reason: null });
      poller.start();
    },
    stop: async () => stopPoller?.(),
  };
}
