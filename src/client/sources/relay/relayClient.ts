/**
 * The relay source: a WebSocket to the relay's `/stream`, resumed from the last seq handled, with
 * reconnects (capped exponential backoff with jitter) and a silence watchdog. The client pings
 * the relay itself every `pingIntervalMs` (whatever the relay's own heartbeat is set to); when
 * nothing at all, not even a pong, arrives for `silenceTimeoutMs`, the connection is presumed
 * dead (a laptop that slept keeps its socket "open") and replaced: within a minute by default.
 *
 * Several URLs are instances of one relay on one database (one seq numbering): when the one in
 * use fails, the next is tried at once, resuming from the same cursor; only when every instance
 * has failed in a row does the client back off. A load balancer in front works the same way,
 * with one URL.
 *
 * "I'm on it" (issue #17) travels on the same socket: `acknowledge()` sends an acknowledge frame
 * and settles when the relay streams the stored acknowledgement back (or answers with an error
 * frame); everyone's acknowledgements arrive as frames of the log, resumed like events.
 *
 * The client asks for a catch-up as batch frames (`batch=1`, fewer and larger messages) and takes
 * single frames just the same, from a relay that predates batches.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Acknowledgement } from '../../../core/acknowledgement.js';
import { repositorySlug, type NormalisedEvent } from '../../../core/event.js';
import type { BuildRef, Clock, Logger } from '../../../core/ports.js';
import { CLOSE_CODES, serverFrameSchema, type AcknowledgeFrame, type GapFrame } from '../../../core/protocol.js';
import { systemTimers, type TimerHandle, type Timers } from '../../../core/timers.js';
import { createBackoff, type BackoffOptions } from '../backoff.js';
import type { CursorStore } from './cursorFile.js';
import { resumeUrl } from './streamUrl.js';

export type RelayConnection =
  | { readonly state: 'connecting'; readonly since: number; readonly url: string }
  | { readonly state: 'connected'; readonly since: number; readonly url: string }
  | { readonly state: 'offline'; readonly since: number; readonly reason: string; readonly retryAt: number | null };

export interface RelayEventMeta {
  readonly seq: number;
  /** True while replaying what happened before this connection: summarise, do not flood. */
  readonly catchUp: boolean;
}

export interface RelayAcknowledgementMeta extends RelayEventMeta {
  /** Sent with this client's token (its `by` is the label the relay said hello with). */
  readonly own: boolean;
}

export interface RelaySourceHandlers {
  onEvent(event: NormalisedEvent, meta: RelayEventMeta): void;
  /** Someone acknowledged a build or withdrew it (absent: acknowledgements are passed over, the cursor still moves). */
  onAcknowledgement?(acknowledgement: Acknowledgement, meta: RelayAcknowledgementMeta): void;
  /** A replay starts (`true`) or ends (`false`); only called when there is something to replay. */
  onCatchUp(active: boolean): void;
  /** Events were pruned before this client saw them: reconcile through the provider's API. */
  onGap(gap: GapFrame): void;
  onConnection(connection: RelayConnection): void;
}

export interface RelaySourceOptions {
  /** The stream URLs (see streamUrl) of the relay's instances, in the order to try them; at least one. */
  readonly urls: readonly string[];
  readonly token: string;
  readonly cursor: CursorStore;
  readonly handlers: RelaySourceHandlers;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly backoff?: BackoffOptions;
  /** How often the client pings the relay. Default 20 s. */
  readonly pingIntervalMs?: number;
  /** No frame, ping or pong for this long means the connection is dead. Default 45 s (two missed pongs). */
  readonly silenceTimeoutMs?: number;
  /** How long `acknowledge()` waits for the relay's answer. Default 10 s. */
  readonly acknowledgeTimeoutMs?: number;
}

export interface RelaySource {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Sends "I'm on it" (`active`) or its withdrawal for `build`. Resolves once the relay has stored
   * it (its acknowledgement frame came back); rejects with the relay's message on an error frame,
   * at once when not connected, when the connection drops first, or after `acknowledgeTimeoutMs`.
   */
  acknowledge(build: BuildRef, active: boolean): Promise<void>;
  /** True between the relay's hello and the connection's end. */
  isConnected(): boolean;
}

/** An acknowledge frame waiting for the relay's answer. */
interface PendingAcknowledgement {
  readonly frame: AcknowledgeFrame & { readonly ref: string };
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
}

export function createRelaySource(options: RelaySourceOptions): RelaySource {
  const { handlers, logger } = options;
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 45_000;
  const pingIntervalMs = options.pingIntervalMs ?? 20_000;
  const acknowledgeTimeoutMs = options.acknowledgeTimeoutMs ?? 10_000;
  if (pingIntervalMs >= silenceTimeoutMs) throw new TypeError('pingIntervalMs must be shorter than silenceTimeoutMs, or every quiet connection would be dropped');
  const backoff = createBackoff(options.backoff);
  if (options.urls.length === 0) throw new TypeError('a relay source needs at least one URL');
  /** The instance in use, and how many attempts in a row have failed without a hello. */
  let instance = 0;
  let failuresInARow = 0;

  let socket: WebSocket | undefined;
  let cursor: number | undefined;
  let stopped = false;
  let retryTimer: TimerHandle | undefined;
  let silenceTimer: TimerHandle | undefined;
  let pingTimer: TimerHandle | undefined;
  let catchingUp = false;
  /** The socket that has said hello, and the token's label it said (absent from relays before acknowledgements). */
  let helloSocket: WebSocket | undefined;
  let ownLabel: string | undefined;
  const pending = new Map<string, PendingAcknowledgement>();

  const settle = (ref: string, error?: Error) => {
    const waiting = pending.get(ref);
    if (!waiting) return;
    pending.delete(ref);
    timers.clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve();
  };

  const rejectAllPending = (reason: string) => {
    for (const ref of [...pending.keys()]) settle(ref, new Error(reason));
  };

  /** The oldest waiting frame this stored acknowledgement answers: same build, same word, our name. */
  const answeredBy = (acknowledgement: Acknowledgement): string | undefined => {
    if (ownLabel === undefined || acknowledgement.by !== ownLabel) return undefined;
    for (const [ref, waiting] of pending) {
      const { frame } = waiting;
      if (frame.provider === acknowledgement.provider && frame.repository === repositorySlug(acknowledgement.repository)
        && frame.buildId === acknowledgement.buildId && frame.active === acknowledgement.active) return ref;
    }
    return undefined;
  };

  const setConnection = (connection: RelayConnection) => handlers.onConnection(connection);

  const schedulePing = (ws: WebSocket) => {
    pingTimer = timers.setTimeout(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      schedulePing(ws);
    }, pingIntervalMs);
  };

  const armSilenceWatchdog = () => {
    if (silenceTimer !== undefined) timers.clearTimeout(silenceTimer);
    silenceTimer = timers.setTimeout(() => {
      logger.warn('no word from the relay; reconnecting', { silentForMs: silenceTimeoutMs });
      socket?.terminate();
    }, silenceTimeoutMs);
  };

  const endCatchUp = () => {
    if (!catchingUp) return;
    catchingUp = false;
    handlers.onCatchUp(false);
  };

  const handleMessage = (data: WebSocket.RawData) => {
    // Frames keep arriving during the close handshake: after stop() none may reach the handlers
    // (the app has closed its engine), and the cursor must stay at the last event they handled.
    if (stopped) return;
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      logger.warn('ignoring a frame that is not JSON');
      return;
    }
    if (typeOf(json) !== 'batch') {
      handleFrame(json);
      return;
    }
    // A catch-up's rows, several to a message (asked for with batch=1): each item is handled as if
    // it had come alone, one at a time, so a malformed item is passed over like a malformed frame
    // and costs only itself, not the rest of its batch.
    const items = (json as { frames?: unknown }).frames;
    if (!Array.isArray(items)) {
      logger.warn('ignoring a malformed frame', { type: 'batch' });
      return;
    }
    for (const item of items) {
      if (stopped) return;
      const type = typeOf(item);
      // Only stored rows travel in a batch; a hello or live inside one is not what the relay sent.
      if (type === 'event' || type === 'acknowledgement') handleFrame(item);
      else logger.warn('ignoring an item of a batch that is not an event or acknowledgement', { type: String(type) });
    }
  };

  const handleFrame = (json: unknown) => {
    const type = typeOf(json);
    if (type !== 'hello' && type !== 'event' && type !== 'gap' && type !== 'live' && type !== 'acknowledgement' && type !== 'error') return; // newer frame types
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) {
      logger.warn('ignoring a malformed frame', { type: String(type) });
      return;
    }
    const frame = parsed.data;
    switch (frame.type) {
      case 'hello':
        backoff.reset();
        failuresInARow = 0;
        helloSocket = socket;
        ownLabel = frame.label;
        setConnection({ state: 'connected', since: clock(), url: options.urls[instance]! });
        if (cursor !== undefined && cursor < frame.head) {
          catchingUp = true;
          handlers.onCatchUp(true);
        }
        break;
      case 'gap':
        // Events were pruned before we saw them, or the relay's log was replaced and numbers
        // from below our cursor: adopt its numbering so what follows is not taken for old news.
        if (cursor !== undefined) cursor = Math.min(cursor, frame.oldest - 1);
        handlers.onGap(frame);
        break;
      case 'event':
        if (cursor !== undefined && frame.seq <= cursor) return;
        handlers.onEvent(frame.event, { seq: frame.seq, catchUp: catchingUp });
        cursor = frame.seq;
        void options.cursor.save(frame.seq);
        break;
      case 'acknowledgement': {
        const answered = answeredBy(frame.acknowledgement);
        if (answered !== undefined) settle(answered);
        if (cursor !== undefined && frame.seq <= cursor) return;
        const own = ownLabel !== undefined && frame.acknowledgement.by === ownLabel;
        handlers.onAcknowledgement?.(frame.acknowledgement, { seq: frame.seq, catchUp: catchingUp, own });
        cursor = frame.seq;
        void options.cursor.save(frame.seq);
        break;
      }
      case 'error':
        if (frame.ref !== null && pending.has(frame.ref)) settle(frame.ref, new Error(`the relay refused the acknowledgement: ${frame.message}`));
        // Over its frame budget the relay drops frames unread, so it cannot say which: every
        // acknowledgement still waiting failed, rather than each waiting out its timeout.
        else if (frame.code === 'rate_limited') rejectAllPending(`the relay refused the acknowledgement: ${frame.message}`);
        else logger.warn('the relay refused a frame', { code: frame.code });
        break;
      case 'live':
        endCatchUp();
        if (cursor === undefined || frame.cursor > cursor) {
          cursor = frame.cursor;
          void options.cursor.save(frame.cursor);
        }
        break;
    }
  };

  const connect = () => {
    if (stopped) return;
    const base = options.urls[instance]!;
    setConnection({ state: 'connecting', since: clock(), url: base });
    const url = resumeUrl(base, cursor);
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${options.token}` }, handshakeTimeout: 15_000 });
    socket = ws;
    let refusal: string | undefined;
    let permanent = false;
    ws.on('open', () => {
      armSilenceWatchdog();
      schedulePing(ws);
    });
    ws.on('ping', armSilenceWatchdog);
    ws.on('pong', armSilenceWatchdog);
    ws.on('message', (data) => {
      armSilenceWatchdog();
      handleMessage(data);
    });
    ws.on('unexpected-response', (_request, response) => {
      permanent = response.statusCode === 401;
      refusal = response.statusCode === 401
        ? 'the relay did not accept the token (revoked or mistyped)'
        : `the relay refused the stream (HTTP ${response.statusCode})`;
      response.resume();
      ws.terminate();
    });
    ws.on('error', (error) => {
      refusal ??= `cannot reach the relay: ${error.message}`;
    });
    ws.on('close', (code, reason) => {
      if (silenceTimer !== undefined) timers.clearTimeout(silenceTimer);
      if (pingTimer !== undefined) timers.clearTimeout(pingTimer);
      endCatchUp();
      if (socket === ws) socket = undefined;
      if (helloSocket === ws) helloSocket = undefined;
      // The answer to a frame sent on this socket can only come on this socket.
      rejectAllPending('the connection to the relay closed before it confirmed the acknowledgement');
      if (stopped) return;
      if (code === CLOSE_CODES.tokenRevoked) {
        permanent = true;
        refusal = 'the token was revoked on the relay';
      }
      const why = refusal ?? describeClose(code, reason.toString());
      if (permanent) {
        logger.error(`${why}; not reconnecting`);
        setConnection({ state: 'offline', since: clock(), reason: why, retryAt: null });
        return;
      }
      // Another instance shares the database and the cursor: try it at once, until every one has failed in a row.
      failuresInARow += 1;
      instance = (instance + 1) % options.urls.length;
      if (failuresInARow < options.urls.length) {
        logger.warn(`${why}; trying the next instance of the relay`, { next: new URL(options.urls[instance]!).host });
        connect();
        return;
      }
      failuresInARow = 0;
      const delay = backoff.next();
      setConnection({ state: 'offline', since: clock(), reason: why, retryAt: clock() + delay });
      retryTimer = timers.setTimeout(connect, delay);
    });
  };

  return {
    async start() {
      cursor = await options.cursor.load();
      connect();
    },
    isConnected() {
      return helloSocket !== undefined && helloSocket === socket && helloSocket.readyState === WebSocket.OPEN;
    },
    acknowledge(build, active) {
      const ws = socket;
      if (stopped || ws === undefined || helloSocket !== ws || ws.readyState !== WebSocket.OPEN) {
        return Promise.reject(new Error('not connected to the relay: the acknowledgement was not sent'));
      }
      const frame = { type: 'acknowledge', ref: randomUUID(), provider: build.provider, repository: repositorySlug(build.repository), buildId: build.id, active } as const;
      return new Promise<void>((resolve, reject) => {
        const timer = timers.setTimeout(() => settle(frame.ref, new Error(`the relay did not confirm the acknowledgement within ${acknowledgeTimeoutMs / 1000} s`)), acknowledgeTimeoutMs);
        pending.set(frame.ref, { frame, resolve, reject, timer });
        ws.send(JSON.stringify(frame), (error) => {
          if (error) settle(frame.ref, new Error(`could not send the acknowledgement: ${error.message}`));
        });
      });
    },
    async stop() {
      stopped = true;
      rejectAllPending('the relay source stopped before the relay confirmed the acknowledgement');
      if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
      if (silenceTimer !== undefined) timers.clearTimeout(silenceTimer);
      if (pingTimer !== undefined) timers.clearTimeout(pingTimer);
      const ws = socket;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        await new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000);
          timers.setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000);
        });
      }
      if (cursor !== undefined) await options.cursor.save(cursor);
    },
  };
}

/** A parsed frame's `type`, whatever the JSON was. */
function typeOf(json: unknown): unknown {
  return (json as { type?: unknown } | null)?.type;
}

function describeClose(code: number, reason: string): string {
  if (code === CLOSE_CODES.goingAway) return 'the relay is restarting';
  if (code === CLOSE_CODES.tooSlow) return 'the relay dropped this client for reading too slowly';
  if (code === 1006) return 'the connection to the relay was lost';
  return `the relay closed the connection (${code}${reason ? ` ${reason}` : ''})`;
}
