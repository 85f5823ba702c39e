/**
 * `startGithubSimulator`: the GitHub Actions stand-in. The same ideas as the Cirrus simulator (a
 * seeded story on an agenda, scaled real time or manual steps) in GitHub's shapes: signed
 * `workflow_run` / `workflow_job` deliveries to a relay channel (X-GitHub-Event,
 * X-GitHub-Delivery, X-Hub-Signature-256) and a REST API that answers the poller with ETags,
 * 304s and rate-limit headers.
 */
import { randomUUID } from 'node:crypto';
import type { NormalisedEvent } from '../../core/event.js';
import { parseJsonLosslessly } from '../../core/json.js';
import type { Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { FetchLike } from '../../providers/github/api/client.js';
import { signGithubPayload } from '../../providers/github/signature.js';
import { decodeGithubDelivery } from '../../providers/github/webhooks.js';
import type { SimToken } from '../access.js';
import { DEFAULT_SIM_TOKENS } from '../access.js';
import type { SimRepositorySpec } from '../catalog.js';
import { DEFAULT_REPOSITORIES } from '../catalog.js';
import type { ClockRunnerOptions } from '../clockRunner.js';
import { createClockRunner } from '../clockRunner.js';
import { createEventFeed } from '../eventFeed.js';
import { createPrng } from '../prng.js';
import type { WebhookTarget } from '../webhookSender.js';
import { createWebhookSender } from '../webhookSender.js';
import type { RunRequest } from './director.js';
import { GithubDirector } from './director.js';
import { githubWirePayload } from './payloads.js';
import type { SimRateLimitOptions } from './rateLimiter.js';
import { SimRateLimiter } from './rateLimiter.js';
import type { GithubRestServer } from './restServer.js';
import { startGithubRestServer } from './restServer.js';
import type { SimGithubChange, SimGithubRepository, SimGithubRun } from './world.js';
import { SimGithubWorld } from './world.js';

export interface GithubSimulatorOptions extends ClockRunnerOptions {
  /** Seeds every random choice: the same seed tells the same story. Default 1. */
  readonly seed?: number;
  /** Default: acme/web, acme/api and the private acme/mobile. */
  readonly repositories?: readonly SimRepositorySpec[];
  /** Finished runs per repository before the start (no webhooks). Default 2. */
  readonly historyPerRepository?: number;
  /** Where to POST signed webhooks (`http://127.0.0.1:8787/hooks/acme` and its secret). Default: nowhere. */
  readonly relay?: WebhookTarget;
  /** Serve the REST API. Default true. */
  readonly api?: boolean;
  /** Port of the REST API on 127.0.0.1. Default 0 (any free port). */
  readonly apiPort?: number;
  /** Accepted tokens (READ lists runs of private repositories, WRITE approves and re-runs). Default {@link DEFAULT_SIM_TOKENS}. */
  readonly tokens?: readonly SimToken[];
  /** The simulated primary rate limit. Default GitHub's: 5 000 an hour with a token, 60 without. */
  readonly rateLimit?: SimRateLimitOptions;
  /** Play the opening scene and random arrivals. Default true. */
  readonly scenario?: boolean;
  /** Default silent. */
  readonly logger?: Logger;
  /** Transport for webhooks. Default: the global fetch. */
  readonly fetch?: FetchLike;
}

/** One simulated delivery, as sent and as the engine sees it. */
export interface GithubSimEvent {
  readonly eventType: 'workflow_run' | 'workflow_job';
  /** The X-GitHub-Delivery id it was sent with. */
  readonly deliveryId: string;
  readonly body: string;
  readonly event: NormalisedEvent;
}

export interface GithubSimulator {
  /** The REST API base (give it to the client as `baseUrl`), or null when `api: false`. */
  readonly apiUrl: string | null;
  onEvent(listener: (event: GithubSimEvent) => void): () => void;
  /** Moves simulated time forward by `ms`; returns how many steps ran. */
  advance(ms: number): number;
  now(): number;
  startRun(request: Omit<RunRequest, 'repository'> & { repository: string }): SimGithubRun;
  readonly world: SimGithubWorld;
  deliveriesSettled(): Promise<void>;
  /** REST requests answered, and how many were 304. */
  apiStats(): { requests: number; notModified: number };
  /** The next `count` REST requests answer `status` (default 503). */
  failNextApiRequests(count: number, status?: number): void;
  stop(): Promise<void>;
}

export async function startGithubSimulator(options: GithubSimulatorOptions = {}): Promise<GithubSimulator> {
  const time = createClockRunner(options);
  const { agenda, clock, timers, speed } = time;
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  let apiBase = 'https://api.github.com';
  const feed = createEventFeed<GithubSimEvent>();
  // The sender retries with the same payload object, so a retry carries the same delivery id (as GitHub's do).
  const deliveryIds = new WeakMap<object, string>();
  const sender = options.relay
    ? createWebhookSender({
        target: options.relay,
        clock,
        timers,
        logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: (payload, secret) => ({
          'x-github-event': payload.eventType,
          'x-github-delivery': deliveryIds.get(payload) ?? randomUUID(),
          'x-github-hook-id': '1',
          'x-hub-signature-256': signGithubPayload(payload.body, secret),
        }),
      })
    : undefined;

  const world = new SimGithubWorld((change) => publish(change));
  const director = new GithubDirector(world, agenda, createPrng(options.seed ?? 1));
  for (const spec of options.repositories ?? DEFAULT_REPOSITORIES) {
    director.addRepository(spec.owner, spec.name, spec.isPrivate ?? false, spec.defaultBranch ?? 'main');
  }
  director.seedHistory(options.historyPerRepository ?? 2);

  function publish(change: SimGithubChange): void {
    const payload = githubWirePayload(change, apiBase);
    const deliveryId = randomUUID();
    deliveryIds.set(payload, deliveryId);
    sender?.send(payload);
    const decoded = decodeGithubDelivery(payload.eventType, parseJsonLosslessly(payload.body), { id: `sim:${deliveryId}`, receivedAt: agenda.now() });
    if (decoded.kind !== 'event') throw new Error(`the GitHub simulator made a delivery its own provider refuses: ${JSON.stringify(decoded)}`);
    feed.push({ eventType: payload.eventType, deliveryId, body: payload.body, event: decoded.event });
  }

  const server: GithubRestServer | undefined =
    options.api === false
      ? undefined
      : await startGithubRestServer({
          world,
          director,
          // The rate limit's hour is real time (a test exhausts it by asking, not by waiting).
          limiter: new SimRateLimiter(clock, options.rateLimit),
          tokens: options.tokens ?? DEFAULT_SIM_TOKENS,
          logger,
          catchUp: time.catchUp,
          ...(options.apiPort === undefined ? {} : { port: options.apiPort }),
        });
  if (server) apiBase = server.url;

  if (options.scenario ?? true) director.scheduleOpening();
  logger.info('GitHub simulator started', { seed: options.seed ?? 1, speed, api: server?.url ?? null, relay: options.relay?.url ?? null });

  return {
    apiUrl: server?.url ?? null,
    world,
    onEvent: (listener) => feed.listen(listener),
    advance: time.advance,
    now: time.now,
    startRun(request) {
      const [owner = '', name = ''] = request.repository.split('/');
      const repository: SimGithubRepository | undefined = world.repository(owner, name);
      if (!repository) throw new TypeError(`no simulated repository '${request.repository}'`);
      return director.startRun({ ...request, repository });
    },
    deliveriesSettled: async () => sender?.idle(),
    apiStats: () => server?.stats() ?? { requests: 0, notModified: 0 },
    failNextApiRequests: (count, status) => server?.failNext(count, status),
    async stop() {
      if (stopped) return;
      stopped = true;
      time.stop();
      feed.end();
      await Promise.all([sender?.stop(), server?.close()]);
      logger.info('GitHub simulator stopped');
    },
  };
}
