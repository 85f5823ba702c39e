/**
 * The relay's HTTP surface: `POST /hooks/<channel>`, `GET /healthz`, `GET /metrics`. Turns the
 * request into a Delivery, runs the ingest pipeline, and once the delivery is committed hands the
 * event to the hub and then answers.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock, Logger } from '../../core/ports.js';
import { channelNameSchema } from '../channels.js';
import { StorageUnavailableError } from '../storage/errors.js';
import type { AppendResult, NewLogEntry } from '../eventLog.js';
import { admitBody, admitHeaders, committedOutcome, type IngestDependencies, type StreamedEvent } from '../ingest.js';
import type { RelayMetrics } from '../metrics.js';
import type { RelayRateLimits } from './rateLimit.js';
import { readBody, refuseDeclaredOverCap } from './body.js';
import { HttpError } from './errors.js';
import { sendJson } from './respond.js';
import { parseRequestTarget } from './target.js';
import type { MetricsAccess } from './metricsAccess.js';
import { BodiesInFlight } from './bodiesInFlight.js';

export interface RouteDependencies extends IngestDependencies {
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  readonly limits: RelayRateLimits;
  /** Commits an admitted delivery; resolves only once it is durable (GroupCommit.append). */
  readonly commit: (entry: NewLogEntry) => Promise<AppendResult>;
  /** Called after the commit and before the answer, for every newly committed streamable event. */
  readonly onCommitted: (event: StreamedEvent) => void;
  /** Bodies one address may be sending at once; past it, 429 before reading. */
  readonly maxBodiesPerAddress: number;
  /** Answers `GET /metrics` for a caller with the metrics token; absent when metrics are off. */
  readonly metricsAccess: MetricsAccess;
  /** Resolves when the storage can take writes; /healthz answers 503 otherwise (load balancers take the instance out). */
  readonly ping: () => Promise<void>;
}

const HOOK_PATH = /^\/hooks\/([^/]+)$/;

/** SQLite codes that mean "the disk, not the delivery": the sender should retry later. */
const RETRYABLE_STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB)/;

export function createRequestHandler(deps: RouteDependencies): RequestListener {
  const bodies = new BodiesInFlight(deps.maxBodiesPerAddress);
  return (request, response) => {
    const url = parseRequestTarget(request.url);
    if (!url) {
      sendJson(response, 400, { error: 'the request target is not a path on this relay' }, { Connection: 'close' });
      return;
    }
    const hook = HOOK_PATH.exec(url.pathname);
    if (hook) {
      void receiveWebhook(request, response, hook[1]!, deps, bodies);
    } else if (url.pathname === '/healthz' && isRead(request)) {
      // Public, for load balancers: up or not, and nothing about what the relay carries.
      deps.ping().then(
        () => sendJson(response, 200, { status: 'ok' }),
        () => sendJson(response, 503, { status: 'unavailable', error: 'the relay cannot reach its database' }, { 'Retry-After': '5' }),
      );
    } else if (url.pathname === '/metrics' && isRead(request)) {
      serveMetrics(request, response, deps);
    } else if (url.pathname === '/healthz' || url.pathname === '/metrics') {
      sendJson(response, 405, { error: `use GET on ${url.pathname}` }, { Allow: 'GET, HEAD' });
    } else {
      sendJson(response, 404, { error: `nothing at ${url.pathname.slice(0, 100)}: webhooks go to POST /hooks/<channel>` });
    }
  };
}

async function receiveWebhook(request: IncomingMessage, response: ServerResponse, rawChannel: string, deps: RouteDependencies, bodies: BodiesInFlight): Promise<void> {
  const receivedAt = deps.clock();
  const address = request.socket.remoteAddress ?? 'unknown';
  let channel = 'unknown';
  let release: (() => void) | undefined;
  try {
    if (request.method !== 'POST') throw new HttpError(405, 'webhooks are delivered with POST', { Allow: 'POST' });
    // Before reading the body: a flood costs the relay as little as possible.
    const wait = deps.limits.hookFromAddress(address);
    if (wait > 0) throw new HttpError(429, 'too many requests from this address; retry later', { 'Retry-After': String(wait) });
    refuseDeclaredOverCap(request, deps.maxBodyBytes);
    // Everything the headers can tell is checked before a byte of the body is held in memory.
    const headers = await admitHeaders(decodeChannel(rawChannel), request.headers, deps);
    release = bodies.enter(address);
    if (!release) throw new HttpError(429, 'too many webhook bodies in flight from this address; retry later', { 'Retry-After': '1' });
    const body = await readBody(request, deps.maxBodyBytes);
    release();
    release = undefined;
    const admitted = await admitBody({ channel: headers.channel, headers: request.headers, body, receivedAt }, headers, deps);
    const outcome = admitted.kind === 'answer' ? admitted.outcome : committedOutcome(admitted.entry, await deps.commit(admitted.entry));
    const name = headers.channel;
    channel = name;
    deps.metrics.recordDelivery(channel, outcome.outcome);
    if (outcome.status === 202) {
      sendJson(response, 202, { status: 'ignored', eventType: outcome.eventType });
      return;
    }
    if (outcome.outcome === 'stored' || outcome.outcome === 'recorded') deps.metrics.recordStored();
    // The desktops first: a notification is what the relay is for, and the sender's answer only
    // closes a request it waits on for seconds. Deferring the fan-out behind the answer (a
    // setImmediate) put 0.1 ms on every client's latency at p50 (the latency bench, instrumented).
    if (outcome.streamed) deps.onCommitted(outcome.streamed);
    sendJson(response, 200, { status: outcome.outcome, seq: outcome.seq });
  } catch (error) {
    release?.();
    const failure = toHttpError(error, deps.logger);
    // A known channel with a bad delivery is worth its own label; an unknown one is not.
    if (failure.status !== 404 && failure.status !== 405 && failure.status !== 413) {
      const name = safeChannel(rawChannel);
      if (name !== undefined && (await deps.channels.secretOf(name).catch(() => undefined)) !== undefined) channel = name;
    }
    deps.metrics.recordDelivery(channel, `rejected_${failure.status}`);
    sendJson(response, failure.status, { error: failure.message }, failure.headers);
    if (!request.complete) response.once('finish', () => closeAfterRefusal(request.socket));
  }
}

/**
 * How long a connection whose body was refused before its end stays open after the answer. A
 * socket destroyed with bytes still unread is reset by the kernel, and the reset can discard the
 * answer before the sender, still writing its body, has read it: it saw a reset instead of a 413
 * (the hostile corpus's 10 MB body, now and then under load). So the relay closes as web servers
 * do, lingering: it ends its side after the answer (the sender reads the answer, then the close)
 * and drops what still arrives, keeping none of it, until the sender closes or this time is up.
 */
const LINGER_MS = 2000;

function closeAfterRefusal(socket: Socket): void {
  // No `Connection: close` on the answer: with it, Node destroys the socket as soon as the answer
  // is written, which is the reset this avoids. Ending the socket here closes it just the same.
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

function isRead(request: IncomingMessage): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

/** A name that cannot be a channel is answered like an unknown one: 401, the body unread. */
function decodeChannel(raw: string): string {
  return safeChannel(raw) ?? '';
}

function serveMetrics(request: IncomingMessage, response: ServerResponse, deps: RouteDependencies): void {
  const access = deps.metricsAccess.check(request.headers.authorization);
  if (access === 'off') {
    sendJson(response, 404, { error: 'metrics are off: start the relay with --metrics-token (or $BUILDBELL_METRICS_TOKEN) and scrape with that bearer token' });
    return;
  }
  if (access === 'denied') {
    sendJson(response, 401, { error: 'metrics need the metrics token: Authorization: Bearer <token>' }, { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  deps.metrics.render().then(
    (text) => {
      response.writeHead(200, { 'Content-Type': deps.metrics.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      response.end(text);
    },
    (error: unknown) => {
      deps.logger.error('could not render the metrics', { error: String(error) });
      sendJson(response, 500, { error: 'the relay could not render its metrics' });
    },
  );
}

function safeChannel(raw: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return channelNameSchema.safeParse(decoded).success ? decoded : undefined;
}

function toHttpError(error: unknown, logger: Logger): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof StorageUnavailableError) {
    return new HttpError(503, 'the relay cannot store deliveries right now; retry later', { 'Retry-After': '30' });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRYABLE_STORAGE_CODES.test(code)) {
    logger.error('could not store a delivery; answering 503 so the sender retries', { code });
    return new HttpError(503, 'the relay cannot store deliveries right now; retry later', { 'Retry-After': '30' });
  }
  logger.error('unexpected error while receiving a webhook', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return new HttpError(500, 'the relay failed to handle this delivery');
}
