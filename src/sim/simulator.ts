/**
 * `startSimulator`: wires the world, the director, the clock, the webhook sender and the GraphQL
 * server into one running Cirrus stand-in, and hands back its URL, its event feed and `stop()`.
 */
import { createHash } from 'node:crypto';
import type { NormalisedEvent } from '../core/event.js';
import { parseJsonLosslessly } from '../core/json.js';
import type { Logger } from '../core/ports.js';
import { silentLogger } from '../core/ports.js';
import type { FetchLike } from '../providers/cirrus/api/client.js';
import { decodeCirrusDelivery } from '../providers/cirrus/webhooks.js';
import type { SimToken } from './access.js';
import { DEFAULT_SIM_TOKENS } from './access.js';
import type { SimRepositorySpec } from './catalog.js';
import { DEFAULT_REPOSITORIES } from './catalog.js';
import type { ClockRunnerOptions } from './clockRunner.js';
import { createClockRunner } from './clockRunner.js';
import type { BuildRequest } from './director.js';
import { Director } from './director.js';
import { createEventFeed } from './eventFeed.js';
import type { EventFeed } from './eventFeed.js';
import { createRootValue } from './graphqlApi.js';
import type { GraphqlServer } from './graphqlServer.js';
import { startGraphqlServer } from './graphqlServer.js';
import { wirePayload } from './payloads.js';
import { createPrng } from './prng.js';
import type { WebhookSender, WebhookTarget } from './webhookSender.js';
import { createWebhookSender } from './webhookSender.js';
import type { SimBuild, WorldChange } from './world.js';
import { SimWorld } from './world.js';

export interface SimulatorOptions extends ClockRunnerOptions {
  /** Seeds every random choice: the same seed tells the same story. Default: 1. */
  readonly seed?: number;
  /** Default: acme/web, acme/api and the private acme/mobile. */
  readonly repositories?: readonly SimRepositorySpec[];
  /** Finished builds per repository that exist before the start (no webhooks). Default: 3. */
  readonly historyPerRepository?: number;
  /** Where to POST signed webhooks. Default: nowhere (in-process events only). */
  readonly relay?: WebhookTarget;
  /** Serve the GraphQL API. Default: true. */
  readonly graphql?: boolean;
  /** Port of the GraphQL API on 127.0.0.1. Default: 0 (any free port). */
  readonly graphqlPort?: number;
  /** Accepted bearer tokens. Default: {@link DEFAULT_SIM_TOKENS}. */
  readonly tokens?: readonly SimToken[];
  /** Play the opening scene and random arrivals. Default: true; false leaves a quiet world for scripted tests. */
  readonly scenario?: boolean;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Transport for webhooks. Default: the global fetch. */
  readonly fetch?: FetchLike;
}

/** One simulated webhook, as sent and as the engine sees it. */
export interface SimEvent {
  readonly eventType: 'build' | 'task';
  /** The exact JSON text POSTed (and signed). */
  readonly body: string;
  /** The same delivery normalised, ready for the engine (`watch --demo`). */
  readonly event: NormalisedEvent;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>/graphql`, or null when `graphql: false`. */
  readonly graphqlUrl: string | null;
  /** Hears every event as it happens; returns the unsubscribe function. */
  onEvent(listener: (event: SimEvent) => void): () => void;
  /** Every event from now on, as an async iterator; it ends when the simulator stops. */
  events(): AsyncIterableIterator<SimEvent>;
  /** Moves simulated time forward by `ms`, running everything due. Returns how many steps ran. */
  advance(ms: number): number;
  /** The simulated now, epoch ms. */
  now(): number;
  /** Starts a build now, for scripted scenarios and tests. */
  startBuild(request: BuildRequest): SimBuild;
  /** Read access to the state, for tests and tools. */
  readonly world: SimWorld;
  /** Resolves when every queued webhook has been delivered or given up. */
  deliveriesSettled(): Promise<void>;
  /** GraphQL requests answered so far. */
  graphqlRequestCount(): number;
  /** The next `count` GraphQL requests answer HTTP `status` (default 503). */
  failNextGraphqlRequests(count: number, status?: number): void;
  /** Stops the timers, the sender and the server; ends every event iterator. */
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const time = createClockRunner(options);
  const { agenda, clock, timers, speed } = time;
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  const feed: EventFeed<SimEvent> = createEventFeed();
  const sender: WebhookSender | undefined = options.relay
    ? createWebhookSender({ target: options.relay, clock, timers, logger, ...(options.fetch ? { fetch: options.fetch } : {}) })
    : undefined;

  const world = new SimWorld((change) => publish(change));
  const director = new Director(world, agenda, createPrng(options.seed ?? 1));
  for (const spec of options.repositories ?? DEFAULT_REPOSITORIES) director.addRepository(spec);
  director.seedHistory(options.historyPerRepository ?? 3);

  function publish(change: WorldChange): void {
    const payload = wirePayload(world, change, agenda.now());
    sender?.send(payload);
    const id = `sim:${createHash('sha256').update(`${payload.eventType}\n${payload.body}`).digest('hex').slice(0, 32)}`;
    const decoded = decodeCirrusDelivery(payload.eventType, parseJsonLosslessly(payload.body), { id, receivedAt: agenda.now() });
    if (decoded.kind !== 'event') throw new Error(`the simulator made a delivery its own provider refuses: ${JSON.stringify(decoded)}`);
    feed.push({ eventType: payload.eventType, body: payload.body, event: decoded.event });
  }

  const server: GraphqlServer | undefined =
    options.graphql === false
      ? undefined
      : await startGraphqlServer({
          tokens: options.tokens ?? DEFAULT_SIM_TOKENS,
          logger,
          ...(options.graphqlPort === undefined ? {} : { port: options.graphqlPort }),
          rootValue: (viewer) => {
            // A request sees the world as of now: catch up on anything due first.
            time.catchUp();
            return createRootValue({ world, director, now: time.now }, viewer);
          },
        });

  if (options.scenario ?? true) director.scheduleOpening();
  logger.info('simulator started', { seed: options.seed ?? 1, speed, graphql: server?.url ?? null, relay: options.relay?.url ?? null });

  return {
    graphqlUrl: server?.url ?? null,
    world,
    onEvent: (listener) => feed.listen(listener),
    events: () => feed.iterate(),
    advance: time.advance,
    now: time.now,
    startBuild: (request) => director.startBuild(request),
    deliveriesSettled: async () => sender?.idle(),
    graphqlRequestCount: () => server?.requestCount() ?? 0,
    failNextGraphqlRequests: (count, status) => server?.failNext(count, status),
    async stop() {
      if (stopped) return;
      stopped = true;
      time.stop();
      feed.end();
      await Promise.all([sender?.stop(), server?.close()]);
      logger.info('simulator stopped');
    },
  };
}
