/**
 * A buildbell relay as a source: events over one WebSocket, resumed from the cursor file, with the
 * Approve and Re-run of the CIs whose tokens the user gave, "I'm on it" shared through the same
 * socket, and a gap (events pruned before this desktop saw them) reconciled through the Cirrus API
 * when it can be.
 */
import { repositorySlug } from '../../../core/event.js';
import type { AcknowledgePort, Clock } from '../../../core/ports.js';
import type { GapFrame } from '../../../core/protocol.js';
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { GithubApi } from '../../../providers/github/api/client.js';
import type { ConnectionUpdate } from '../../engine/engine.js';
import { createCirrusBuildActions } from '../cirrus/actions.js';
import type { EventSink, PreparedSource, SourceDependencies } from '../contract.js';
import { createGithubBuildActions, githubWebHost } from '../github/actions.js';
import { createGitlabBuildActions, gitlabWebHost } from '../gitlab/actions.js';
import type { GitlabApi } from '../../../providers/gitlab/api/client.js';
import type { CursorStore } from './cursorFile.js';
import { createRelaySource, type RelayConnection, type RelaySource } from './relayClient.js';
import { streamUrl } from './streamUrl.js';
import { failureDetailFor } from '../failureDetailFor.js';

export interface RelayChoice {
  readonly kind: 'relay';
  /** The relay's base URL (ws, wss, http or https). */
  readonly url: string;
  /** Other instances of the same relay (one database), tried in order when the one in use fails. */
  readonly fallbackUrls?: readonly string[];
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
  /** For approve and re-run of GitLab pipelines the relay carries: a GitLab API client. Optional. */
  readonly gitlab?: GitlabApi;
  /** The base of `gitlab` (undefined: gitlab.com): says which host's pipelines it can act on. */
  readonly gitlabApiUrl?: string;
}

export function prepareRelaySource(choice: RelayChoice, deps: SourceDependencies): PreparedSource {
  const urls = [choice.url, ...(choice.fallbackUrls ?? [])].map((url) => streamUrl(url, undefined, { insecure: choice.insecure === true }));
  const label = `relay ${new URL(urls[0]!).host}`;
  let relay: RelaySource | undefined;
  /**
   * The repositories this relay has streamed something of, by provider: "I'm on it" for a build
   * goes to a relay that carries it, which tells a user's two relays apart (the relay itself
   * checks the token's scope).
   */
  const carried = new Set<string>();
  const carriedKey = (provider: string, slug: string) => `${provider}:${slug}`;
  const acknowledgements: AcknowledgePort = {
    canShare: (build) => relay?.isConnected() === true && carried.has(carriedKey(build.provider, repositorySlug(build.repository))),
    acknowledge: (build, active) => relay ? relay.acknowledge(build, active) : Promise.reject(new Error('the relay source is not running')),
  };
  const actions = [
    ...(choice.cirrus ? [createCirrusBuildActions(choice.cirrus)] : []),
    ...(choice.github ? [createGithubBuildActions(choice.github, githubWebHost(choice.githubApiUrl))] : []),
    ...(choice.gitlab ? [createGitlabBuildActions(choice.gitlab, gitlabWebHost(choice.gitlabApiUrl))] : []),
  ];
  return {
    label,
    actions,
    acknowledgements,
    ...failureDetailFor({ cirrus: choice.cirrus, github: choice.github, githubApiUrl: choice.githubApiUrl, gitlab: choice.gitlab, gitlabApiUrl: choice.gitlabApiUrl, clock: deps.clock }),
    async start(sink) {
      relay = createRelaySource({
        urls,
        token: choice.token,
        cursor: choice.cursor,
        logger: deps.logger,
        clock: deps.clock,
        handlers: {
          onEvent: (event, meta) => {
            carried.add(carriedKey(event.provider, repositorySlug(event.repository)));
            sink.handle(event, { catchUp: meta.catchUp });
          },
          onAcknowledgement: (acknowledgement, meta) => sink.handleAcknowledgement(acknowledgement, { catchUp: meta.catchUp, own: meta.own }),
          onCatchUp: (active) => (active ? sink.beginCatchUp() : sink.endCatchUp()),
          onGap: (gap) => void reconcileGap(gap, sink, choice.cirrus, deps),
          onConnection: (connection) => sink.setConnection(describeRelayConnection(connection, urls.length > 1, label, deps.clock)),
        },
      });
      await relay.start();
    },
    stop: async () => relay?.stop(),
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
    // Loaded only for a gap, which is rare: a relay user's process need not carry the poller's diff.
    const { diffSnapshots, snapshotOf } = await import('../cirrus/pollDiff.js');
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

function describeRelayConnection(connection: RelayConnection, several: boolean, label: string, clock: Clock): ConnectionUpdate {
  if (connection.state === 'connected') return { connected: true, source: label, reason: null };
  // With several instances, which one is being tried is worth saying.
  if (connection.state === 'connecting') return { connected: false, source: label, reason: several ? `connecting to ${new URL(connection.url).host}` : 'connecting' };
  const retry = connection.retryAt === null ? '' : `; retrying in ${Math.max(1, Math.round((connection.retryAt - clock()) / 1000))} s`;
  return { connected: false, source: label, reason: `${connection.reason}${retry}` };
}
