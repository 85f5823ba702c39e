/**
 * The relay: wires the database, the webhook routes, the stream hub and the background
 * maintenance into one HTTP server. Reads like a table of contents; the work is in the modules.
 */
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock, Logger } from '../core/ports.js';
import { silentLogger } from '../core/ports.js';
import { acknowledgeBuild } from './acknowledgements.js';
import { ChannelSecrets } from './channels.js';
import { GroupCommit } from './groupCommit.js';
import { RelayRateLimits } from './http/rateLimit.js';
import { createRequestHandler } from './http/routes.js';
import { MetricsAccess } from './http/metricsAccess.js';
import { parseRequestTarget } from './http/target.js';
import { startMaintenance, type Maintenance } from './maintenance.js';
import { RelayMetrics } from './metrics.js';
import { relayOptionsSchema, type RelayOptionsInput } from './options.js';
import { directFanOut, orderedFanOut } from './stream/fanOut.js';
import { StreamHub } from './stream/hub.js';
import type { StreamedEvent } from './ingest.js';
import { openStorage } from './storage/openStorage.js';

export interface RelayDependencies {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * Called once when the relay stops by itself because it can no longer keep its promises (its
   * database file was deleted or replaced); it has already closed. Default: nothing beyond the log.
   */
  readonly onFatal?: (error: Error) => void;
}

export interface Relay {
  /** `http://host:port`, for webhooks; the stream is at `ws://host:port/stream`. */
  readonly url: string;
  readonly port: number;
  readonly maintenance: Maintenance;
  /** Stops accepting, lets requests in flight finish, closes sockets with 1001, closes the database. */
  close(): Promise<void>;
}

export async function startRelay(input: RelayOptionsInput, deps: RelayDependencies = {}): Promise<Relay> {
  const options = relayOptionsSchema.parse(input);
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? Date.now;

  const storage = await openStorage(options.database, { logger });
  // Before listening: SQLite's writer thread starts here, not under the first delivery (which
  // waited for it, a few hundred ms on a busy machine). Storage that is down now is answered
  // per request (503, /healthz) as it would be later, so this does not stop the start.
  await storage.ping().catch(() => undefined);
  const channels = new ChannelSecrets((name) => storage.channelSecret(name));
  const metrics = new RelayMetrics(storage.poolFigures ? () => storage.poolFigures!() : undefined);
  const limits = new RelayRateLimits(options.rateLimits, clock);
  const commits = new GroupCommit((entries) => storage.append(entries));
  const hub = new StreamHub({
    storage, metrics, logger, clock,
    acknowledge: (frame, raw, token) => acknowledgeBuild(frame, raw, token, { storage, commit: (entry) => commits.append(entry), clock }),
    // Streamed like a webhook's event: after its commit, in seq order across instances.
    onAcknowledged: (streamed) => fanOut.committedHere(streamed),
  }, options);
  const publish = (event: StreamedEvent) => hub.publish(event);
  const fanOut = storage.kind === 'sqlite' ? directFanOut(publish) : await orderedFanOut(storage, publish, logger);

  const server = createServer(
    {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (default 30 s): check at their scale.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(options.headersTimeoutMs / 4))),
    },
    createRequestHandler({
      channels, metrics, logger, clock, limits,
      storage,
      commit: (entry) => commits.append(entry),
      maxBodyBytes: options.maxBodyBytes,
      maxBodiesPerAddress: options.maxBodiesPerAddress,
      onCommitted: (event) => fanOut.committedHere(event),
      metricsAccess: new MetricsAccess(options.metricsToken),
      ping: () => storage.ping(),
    }),
  );
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseRequestTarget(request.url);
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"the request target is not a path on this relay"}');
      return;
    }
    if (url.pathname !== '/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"the stream is at /stream"}');
      return;
    }
    const wait = limits.streamFromAddress(request.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${wait}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"too many stream connections from this address; retry later"}`);
      return;
    }
    void hub.handleUpgrade(request, socket, head, url);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Keep Node's precise answers: a slow sender must read 408 and an oversized header 431, not
    // a 400 that says its request was malformed.
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
      : error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // end() alone leaves the socket half open for as long as the client keeps its side open, and
    // with it a request whose body was still arriving (a 408): its bytes stay buffered and its
    // place among the address's bodies in flight stays taken, for good. Destroying the socket once
    // the answer is out (or after a few seconds, for a client that reads nothing) ends the request.
    const destroy = () => socket.destroy();
    setTimeout(destroy, 5000).unref();
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`, destroy);
  });

  const maintenance = startMaintenance(options, { storage, clock, logger });
  const stopWatching = storage.watch({
    onAdminChange: () => {
      channels.forget();
      hub.closeRevoked().catch((error: unknown) => logger.warn('could not check for revoked tokens', { error: String(error) }));
    },
    onRemoteCommit: (head) => fanOut.committedAnywhere(head),
    onLost: (error) => {
      logger.error('stopping: the database is no longer the file the relay opened; deliveries get 503 until it is restarted on a good file', { error: error.message });
      // After the current turn: the batch that noticed has to answer its senders first.
      setImmediate(() => void close().then(() => deps.onFatal?.(error)));
    },
  }, options.adminPollMs);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // A port in use: let go of everything started so far (the database pool, the timers) before saying so.
    maintenance.stop();
    stopWatching();
    hub.close();
    await storage.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  metrics.nameInstance(options.instanceName ?? `${hostname()}:${port}`);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      maintenance.stop();
      stopWatching();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      hub.close();
      await stopped;
      await storage.close();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, port, maintenance, close };
}
