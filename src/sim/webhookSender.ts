/**
 * Delivers the simulator's webhooks to a relay channel as Cirrus would: signed over the exact
 * bytes, one at a time and in order (a relay sees `created` before `updated`), retrying a 5xx or a
 * connection error a few times with growing pauses. A 4xx is the relay refusing the delivery;
 * retrying would not change its mind, so it is logged and dropped.
 */
import type { Clock, Logger } from '../core/ports.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import type { FetchLike } from '../providers/cirrus/api/client.js';
import { signCirrusPayload } from '../providers/cirrus/signature.js';

/** A delivery of any provider: its event type and the exact text to sign and send. */
export interface SignablePayload {
  readonly eventType: string;
  readonly body: string;
}

export interface WebhookTarget {
  /** The relay channel, e.g. `http://127.0.0.1:8080/hooks/acme`. */
  readonly url: string;
  /** The channel's webhook secret; signs each delivery (`X-Cirrus-Signature`, or GitHub's `X-Hub-Signature-256`). */
  readonly secret: string;
}

export interface WebhookSenderOptions {
  readonly target: WebhookTarget;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Default: the global fetch. */
  readonly fetch?: FetchLike;
  /** Attempts per delivery, the first included. Default: 4. */
  readonly attempts?: number;
  /** Pause before the first retry, doubled for each next one. Default: 500 ms. */
  readonly retryBaseMs?: number;
  /** Give up on one attempt after this long. Default: 10 000 ms (GitHub's own limit). */
  readonly timeoutMs?: number;
  /**
   * The provider's event and signature headers for a delivery. Default: Cirrus's
   * (`X-Cirrus-Event`, `X-Cirrus-Signature`, `X-Cirrus-Timestamp`); the GitHub simulator passes GitHub's.
   */
  readonly headers?: (payload: SignablePayload, secret: string) => Record<string, string>;
}

export interface WebhookSender {
  /** Queues a delivery; deliveries leave in the order they were queued. */
  send(payload: SignablePayload): void;
  /** Resolves once the queue is empty (delivered or given up). */
  idle(): Promise<void>;
  /** Stops: aborts the attempt in flight and drops what is queued. */
  stop(): Promise<void>;
  stats(): { delivered: number; failed: number; queued: number };
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const { target, clock, timers, logger } = options;
  if (!URL.canParse(target.url) || !/^https?:$/.test(new URL(target.url).protocol)) {
    throw new TypeError(`relay URL must be an http(s) URL, got '${target.url}'`);
  }
  if (target.secret.length === 0) throw new TypeError('a relay needs the channel secret to verify deliveries (--secret)');
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const attempts = options.attempts ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const providerHeaders =
    options.headers ??
    ((payload: SignablePayload, secret: string) => ({
      'x-cirrus-event': payload.eventType,
      'x-cirrus-signature': signCirrusPayload(payload.body, secret),
      'x-cirrus-timestamp': String(clock()),
    }));
  const queue: SignablePayload[] = [];
  let running: Promise<void> | undefined;
  let stopped = false;
  let inFlight: AbortController | undefined;
  let pause: { handle: TimerHandle; wake: () => void } | undefined;
  let delivered = 0;
  let failed = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      pause = { handle: timers.setTimeout(() => ((pause = undefined), resolve()), ms), wake: resolve };
    });

  /** One attempt: 'ok', 'retry' (5xx, network) or 'drop' (4xx). */
  async function attempt(payload: SignablePayload): Promise<'ok' | 'retry' | 'drop'> {
    inFlight = new AbortController();
    const timeout = timers.setTimeout(() => inFlight?.abort(), timeoutMs);
    try {
      const response = await doFetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'buildbell-simulator',
          ...providerHeaders(payload, target.secret),
        },
        body: payload.body,
        signal: inFlight.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'ok';
      logger.warn('relay refused a webhook', { status: response.status, event: payload.eventType });
      return response.status >= 500 ? 'retry' : 'drop';
    } catch (error) {
      if (!stopped) logger.warn('webhook delivery failed', { error: error instanceof Error ? error.message : String(error) });
      return 'retry';
    } finally {
      timers.clearTimeout(timeout);
      inFlight = undefined;
    }
  }

  async function drain(): Promise<void> {
    while (!stopped && queue.length > 0) {
      const payload = queue[0]!;
      let outcome: 'ok' | 'retry' | 'drop' = 'retry';
      for (let n = 0; n < attempts && !stopped && outcome === 'retry'; n += 1) {
        if (n > 0) await sleep(retryBaseMs * 2 ** (n - 1));
        if (!stopped) outcome = await attempt(payload);
      }
      queue.shift();
      if (outcome === 'ok') delivered += 1;
      else if (!stopped) {
        failed += 1;
        logger.error('gave up on a webhook delivery', { event: payload.eventType, attempts });
      }
    }
    running = undefined;
  }

  return {
    send(payload) {
      if (stopped) return;
      queue.push(payload);
      running ??= drain();
    },
    idle: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      queue.length = 0;
      inFlight?.abort();
      if (pause) {
        timers.clearTimeout(pause.handle);
        pause.wake();
      }
      await running;
    },
    stats: () => ({ delivered, failed, queued: queue.length }),
  };
}
