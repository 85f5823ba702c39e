/**
 * The GitHub sources `prepareSource` offers: polling the REST API (no relay), and the demo feed
 * from the built-in GitHub simulator. Both feed the engine normalised events and give it approve
 * and re-run through the GitHub API; the engine does not know which provider it is talking to.
 */
import { createGithubApi, type GithubApi } from '../../../providers/github/api/client.js';
import { DEFAULT_SIM_TOKENS } from '../../../sim/access.js';
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

export async function prepareGithubDemo(choice: { seed?: number; speed?: number }, deps: SourceDependencies): Promise<PreparedSource> {
  // Loaded only for the demo, like the Cirrus simulator (see prepareDemo in startSource.ts).
  const { startGithubSimulator } = await import('../../../sim/github/simulator.js');
  const simulator = await startGithubSimulator({ seed: choice.seed ?? 1, speed: choice.speed ?? 1, logger: deps.logger });
  const writeToken = DEFAULT_SIM_TOKENS.find((token) => token.permission === 'WRITE')!.token;
  const api = createGithubApi({ baseUrl: simulator.apiUrl!, token: writeToken });
  // The simulator's runs link to github.com pages it does not serve: its actions take any host.
  const actions = [createGithubBuildActions(api, undefined)];
  const label = 'demo (built-in GitHub simulator)';
  let unsubscribe: (() => void) | undefined;
  return {
    label,
    actions,
    async start(sink) {
      sink.setConnection({ connected: true, source: label, reason: null });
      unsubscribe = simulator.onEvent(({ event }) => sink.handle(event));
    },
    async stop() {
      unsubscribe?.();
      await simulator.stop();
    },
  };
}
