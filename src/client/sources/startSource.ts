/**
 * Starts the source of events the user chose and feeds the engine with it. Shared by `watch`
 * and the desktop app. Two steps, because the engine needs the source's actions (approve,
 * re-run) when it is created and the source needs the engine to feed: `prepareSource` sets up
 * what the actions need (the demo's simulator), `start(sink)` begins the flow.
 */
import type { Clock } from '../../core/ports.js';
import type { GapFrame } from '../../core/protocol.js';
import { createCirrusApi, type CirrusApi } from '../../providers/cirrus/api/client.js';
import { DEFAULT_SIM_TOKENS } from '../../sim/access.js';
import type { Simulator } from '../../sim/simulator.js';
import type { ConnectionUpdate } from '../engine/engine.js';
import type { EventSink, PreparedSource, SourceDependencies } from './contract.js';

export type { EventSink, PreparedSource, SourceDependencies } from './contract.js';
import { diffSnapshots, snapshotOf } from './cirrus/pollDiff.js';
import { createCirrusPoller } from './cirrus/poller.js';
import type { CursorStore } from './relay/cursorFile.js';
import { createGithubBuildActions, githubWebHost } from './github/actions.js';
import { createCirrusBuildActions } from './cirrus/actions.js';
import { prepareGithubDemo, prepareGithubPoller, type GithubPollChoice } from './github/source.js';
import type { GithubApi } from '../../providers/github/api/client.js';
import { createRelaySource, type RelayConnection } from './relay/relayClient.js';
import { streamUrl } from './relay/streamUrl.js';

export type SourceChoice =
  | {
      readonly kind: 'relay';
      /** The relay's base URL (ws, wss, http or https). */
      readonly url: string;
      readonly token: string;
      readonly cursor: CursorStore;
      /** The user accepts a cleartext (ws://, http://) relay on another machine. Default false. */
      readonly insecure?: boolean;
      /** For approve and re-run, and to reconcile after a gap: a Cirrus API client. Optional. */
      readonly cirrus?: CirrusApi;
      /** For approve and re-run of GitHub builds the relay carries: a GitHub API client. Optional. */
      readonly github?: GithubApi;
      /** The base of `github` (undefined: api.github.com): says which host's runs it can act on. */
      readonly githubApiUrl?: string;
    }
  | GithubPollChoice
  | {
      readonly kind: 'cirrus';
      readonly api: CirrusApi;
      readonly repositories: readonly string[];
      readonly intervalMs: number;
    }
  | {
      readonly kind: 'demo';
      /** Seeds the simulator's story. Default 1. */
      readonly seed?: number;
      /** Simulated time per real time. Default 1 (the first failing build within 15 s). */
      readonly speed?: number;
      /** Which CI the demo simulates. Default `cirrus`. */
      readonly provider?: 'cirrus' | 'github';
    };

export async function prepareSource(choice: SourceChoice, deps: SourceDependencies): Promise<PreparedSource> {
  switch (choice.kind) {
    case 'relay':
      return prepareRelay(choice, deps);
    case 'cirrus':
      return preparePoller(choice, deps);
    case 'github':
      return prepareGithubPoller(choice, deps);
    case 'demo':
      return choice.provider === 'github' ? prepareGithubDemo(choice, deps) : prepareDemo(choice, deps);
  }
}

function prepareRelay(choice: Extract<SourceChoice, { kind: 'relay' }>, deps: SourceDependencies): PreparedSource {
  const url = streamUrl(choice.url, undefined, { insecure: choice.insecure === true });
  const label = `relay ${new URL(url).host}`;
  let stopRelay: (() => Promise<void>) | undefined;
  const actions = [
    ...(choice.cirrus ? [createCirrusBuildActions(choice.cirrus)] : []),
    ...(choice.github ? [createGithubBuildActions(choice.github, githubWebHost(choice.githubApiUrl))] : []),
  ];
  return {
    label,
    actions,
    async start(sink) {
      const relay = createRelaySource({
        url,
        token: choice.token,
        cursor: choice.cursor,
        logger: deps.logger,
        clock: deps.clock,
        handlers: {
          onEvent: (event, meta) => sink.handle(event, { catchUp: meta.catchUp }),
          onCatchUp: (active) => (active ? sink.beginCatchUp() : sink.endCatchUp()),
          onGap: (gap) => void reconcileGap(gap, sink, choice.cirrus, deps),
          onConnection: (connection) => sink.setConnection(describeRelayConnection(connection, label, deps.clock)),
        },
      });
      stopRelay = () => relay.stop();
      await relay.start();
    },
    stop: async () => stopRelay?.(),
  };
}

/**
 * What a gap means: `oldest` at or below the cursor says the relay's log starts again below it
 * (a new database, a restore), else events the client never saw were pruned.
 */
export function gapCause(gap: GapFrame): string {
  return gap.oldest <= gap.after
    ? "the relay's log was replaced (a new or restored database) since this desktop last saw it"
    : 'events were pruned on the relay before this desktop saw them';
}

/**
 * Events were pruned before this client saw them. Asks the Cirrus API for the current state of
 * every repository the engine knows and feeds it in as catch-up, so the tray is right again and
 * what changed meanwhile becomes one summary. Without an API client, says what was missed.
 */
async function reconcileGap(gap: GapFrame, sink: EventSink, cirrus: CirrusApi | undefined, deps: SourceDependencies): Promise<void> {
  const repositories = sink.trayModel().repositories.map((repository) => {
    const [owner = '', name = ''] = repository.slug.split('/');
    return { owner, name };
  });
  if (!cirrus || repositories.length === 0) {
    deps.logger.warn(`${gapCause(gap)}; the tray may be out of date until the next builds`, { after: gap.after, oldest: gap.oldest });
    return;
  }
  try {
    const current = snapshotOf(await cirrus.pollRepositories(repositories));
    // Compared with "seen, but no builds": every build the API lists is news to the engine, which
    // drops what it already knows and notices what changed while the relay's events were pruned.
    const events = diffSnapshots({ builds: new Map(), visible: current.visible }, current, deps.clock());
    sink.beginCatchUp();
    for (const event of events) sink.handle(event, { catchUp: true });
    sink.endCatchUp();
    deps.logger.info('reconciled a gap through the Cirrus API', { repositories: repositories.length, events: events.length });
  } catch (error) {
    deps.logger.warn('could not reconcile a gap through the Cirrus API', { error: (error as Error).message });
  }
}

function describeRelayConnection(connection: RelayConnection, label: string, clock: Clock): ConnectionUpdate {
  if (connection.state === 'connected') return { connected: true, source: label, reason: null };
  if (connection.state === 'connecting') return { connected: false, source: label, reason: 'connecting' };
  const retry = connection.retryAt === null ? '' : `; retrying in ${Math.max(1, Math.round((connection.retryAt - clock()) / 1000))} s`;
  return { connected: false, source: label, reason: `${connection.reason}${retry}` };
}

function preparePoller(choice: Extract<SourceChoice, { kind: 'cirrus' }>, deps: SourceDependencies): PreparedSource {
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

async function prepareDemo(choice: Extract<SourceChoice, { kind: 'demo' }>, deps: SourceDependencies): Promise<PreparedSource> {
  // Loaded only for the demo: the simulator brings graphql-js, which a relay or poller user's
  // long-running process should not carry (about 20 MiB of its resident memory).
  const { startSimulator } = await import('../../sim/simulator.js');
  const simulator: Simulator = await startSimulator({ seed: choice.seed ?? 1, speed: choice.speed ?? 1, logger: deps.logger });
  const writeToken = DEFAULT_SIM_TOKENS.find((token) => token.permission === 'WRITE')!.token;
  const api = createCirrusApi({ endpoint: simulator.graphqlUrl!, token: writeToken });
  const label = 'demo (built-in simulator)';
  let unsubscribe: (() => void) | undefined;
  return {
    label,
    actions: [createCirrusBuildActions(api)],
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
