/**
 * `startGitlabSimulator`: the GitLab CI stand-in. The same ideas as the Cirrus and GitHub
 * simulators (a seeded story on an agenda, scaled real time or manual steps) in GitLab's shapes:
 * Pipeline Hook and Job Hook deliveries to a relay channel with the channel's secret in
 * `X-Gitlab-Token` (GitLab does not sign) and an `Idempotency-Key` kept across retries, and a
 * REST v4 API that answers the poller and the actions, with rate-limit headers.
 */
import { randomUUID } from 'node:crypto';
import type { NormalisedEvent } from '../../core/event.js';
import { parseJsonLosslessly } from '../../core/json.js';
import type { Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { FetchLike } from '../../providers/gitlab/api/client.js';
import { decodeGitlabDelivery } from '../../providers/gitlab/webhooks.js';
import type { SimToken } from '../access.js';
import { DEFAULT_SIM_TOKENS } from '../access.js';
import type { ClockRunnerOptions } from '../clockRunner.js';
import { createClockRunner } from '../clockRunner.js';
import { createEventFeed } from '../eventFeed.js';
import { createPrng } from '../prng.js';
import type { WebhookTarget } from '../webhookSender.js';
import { createWebhookSender } from '../webhookSender.js';
import type { PipelineRequest } from './director.js';
import { GitlabDirector } from './director.js';
import { gitlabWirePayload, SIM_GITLAB_WEB } from './payloads.js';
import type { SimGitlabRateLimitOptions } from './rateLimiter.js';
import { SimGitlabRateLimiter } from './rateLimiter.js';
import type { GitlabRestServer } from './restServer.js';
import { startGitlabRestServer } from './restServer.js';
import type { SimGitlabChange, SimGitlabPipeline } from './world.js';
import { SimGitlabWorld } from './world.js';

/** A project to simulate: its namespace may be a subgroup (`acme/platform`). */
export interface SimGitlabProjectSpec {
  readonly namespace: string;
  readonly path: string;
  /** Default false. Private projects are invisible to the API without a token. */
  readonly isPrivate?: boolean;
  /** Default `main`. */
  readonly defaultBranch?: string;
}

/** Default cast: a public project, one in a subgroup, and a private one. */
export const DEFAULT_GITLAB_PROJECTS: readonly SimGitlabProjectSpec[] = [
  { namespace: 'acme', path: 'web' },
  { namespace: 'acme/platform', path: 'api' },
  { namespace: 'acme', path: 'mobile', isPrivate: true },
];

export interface GitlabSimulatorOptions extends ClockRunnerOptions {
  /** Seeds every random choice: the same seed tells the same story. Default 1. */
  readonly seed?: number;
  /** Default {@link DEFAULT_GITLAB_PROJECTS}. */
  readonly projects?: readonly SimGitlabProjectSpec[];
  /** Finished pipelines per project before the start (no hooks). Default 2. */
  readonly historyPerProject?: number;
  /** Where to POST hooks (`http://127.0.0.1:8787/hooks/acme` and the channel secret, sent as X-Gitlab-Token). Default: nowhere. */
  readonly relay?: WebhookTarget;
  /** Serve the REST API. Default true. */
  readonly api?: boolean;
  /** Port of the REST API on 127.0.0.1. Default 0 (any free port). */
  readonly apiPort?: number;
  /** Accepted tokens (READ is `read_api`: lists private projects; WRITE is `api`: plays and retries). Default {@link DEFAULT_SIM_TOKENS}. */
  readonly tokens?: readonly SimToken[];
  /** The simulated rate limit. Default gitlab.com's: 2 000 a minute with a token, 500 without. */
  readonly rateLimit?: SimGitlabRateLimitOptions;
  /** Play the opening scene and random arrivals. Default true. */
  readonly scenario?: boolean;
  /** Default silent. */
  readonly logger?: Logger;
  /** Transport for hooks. Default: the global fetch. */
  readonly fetch?: FetchLike;
}

/** One simulated delivery, as sent and as the engine sees it. */
export interface GitlabSimEvent {
  readonly eventType: 'Pipeline Hook' | 'Job Hook';
  /** The Idempotency-Key (and X-Gitlab-Event-UUID) it was sent with. */
  readonly deliveryId: string;
  readonly body: string;
  readonly event: NormalisedEvent;
}

export interface GitlabSimulator {
  /** The REST API base, `http://127.0.0.1:<port>/api/v4` (give it to the client as `baseUrl`), or null when `api: false`. */
  readonly apiUrl: string | null;
  /** A token the API lets play and retry (the first WRITE token), or null when none is accepted. */
  readonly writeToken: string | null;
  onEvent(listener: (event: GitlabSimEvent) => void): () => void;
  /** Moves simulated time forward by `ms`; returns how many steps ran. */
  advance(ms: number): number;
  now(): number;
  /** Starts a pipeline now in the project with this full path. */
  startPipeline(request: Omit<PipelineRequest, 'project'> & { project: string }): SimGitlabPipeline;
  readonly world: SimGitlabWorld;
  deliveriesSettled(): Promise<void>;
  /** REST requests answered, and how many listed pipelines and jobs and read a job log. */
  apiStats(): { requests: number; pipelineListings: number; jobListings: number; traceReads: number };
  /** The next `count` REST requests answer `status` (default 503). */
  failNextApiRequests(count: number, status?: number): void;
  stop(): Promise<void>;
}

export async function startGitlabSimulator(options: GitlabSimulatorOptions = {}): Promise<GitlabSimulator> {
  const time = createClockRunner(options);
  const { agenda, clock, timers, speed } = time;
  const logger = options.logger ?? silentLogger;
  const tokens = options.tokens ?? DEFAULT_SIM_TOKENS;
  let stopped = false;
  const feed = createEventFeed<GitlabSimEvent>();
  // The sender retries with the same payload object, so a retry carries the same key (as GitLab's do).
  const deliveryIds = new WeakMap<object, string>();
  const sender = options.relay
    ? createWebhookSender({
        target: options.relay,
        clock,
        timers,
        logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: (payload, secret) => {
          const id = deliveryIds.get(payload) ?? randomUUID();
          return {
            'x-gitlab-event': payload.eventType,
            // GitLab sends the secret token as it is: there is no signature.
            'x-gitlab-token': secret,
            'x-gitlab-event-uuid': id,
            'idempotency-key': id,
            'x-gitlab-instance': SIM_GITLAB_WEB,
            'x-gitlab-webhook-uuid': '0f3c2a1b-5d4e-4f60-8a7b-9c8d7e6f5a4b',
            'user-agent': 'GitLab/17.6.0',
          };
        },
      })
    : undefined;

  const world = new SimGitlabWorld((change) => publish(change));
  const director = new GitlabDirector(world, agenda, createPrng(options.seed ?? 1));
  for (const spec of options.projects ?? DEFAULT_GITLAB_PROJECTS) {
    director.addProject(spec.namespace, spec.path, spec.isPrivate ?? false, spec.defaultBranch ?? 'main');
  }
  director.seedHistory(options.historyPerProject ?? 2);

  function publish(change: SimGitlabChange): void {
    const payload = gitlabWirePayload(change);
    const deliveryId = randomUUID();
    deliveryIds.set(payload, deliveryId);
    sender?.send(payload);
    const decoded = decodeGitlabDelivery(payload.eventType, parseJsonLosslessly(payload.body), { id: `sim:${deliveryId}`, receivedAt: agenda.now() });
    if (decoded.kind !== 'event') throw new Error(`the GitLab simulator made a delivery its own provider refuses: ${JSON.stringify(decoded)}`);
    feed.push({ eventType: payload.eventType, deliveryId, body: payload.body, event: decoded.event });
  }

  const server: GitlabRestServer | undefined =
    options.api === false
      ? undefined
      : await startGitlabRestServer({
          world,
          director,
          // The rate limit's window is real time (a test spends it by asking, not by waiting).
          limiter: new SimGitlabRateLimiter(clock, options.rateLimit),
          tokens,
          logger,
          catchUp: time.catchUp,
          ...(options.apiPort === undefined ? {} : { port: options.apiPort }),
        });

  if (options.scenario ?? true) director.scheduleOpening();
  logger.info('GitLab simulator started', { seed: options.seed ?? 1, speed, api: server?.url ?? null, relay: options.relay?.url ?? null });

  return {
    apiUrl: server?.url ?? null,
    writeToken: tokens.find((token) => token.permission === 'WRITE')?.token ?? null,
    world,
    onEvent: (listener) => feed.listen(listener),
    advance: time.advance,
    now: time.now,
    startPipeline(request) {
      const project = world.project(request.project);
      if (!project) throw new TypeError(`no simulated project '${request.project}'`);
      return director.startPipeline({ ...request, project });
    },
    deliveriesSettled: async () => sender?.idle(),
    apiStats: () => server?.stats() ?? { requests: 0, pipelineListings: 0, jobListings: 0, traceReads: 0 },
    failNextApiRequests: (count, status) => server?.failNext(count, status),
    async stop() {
      if (stopped) return;
      stopped = true;
      time.stop();
      feed.end();
      await Promise.all([sender?.stop(), server?.close()]);
      logger.info('GitLab simulator stopped');
    },
  };
}
