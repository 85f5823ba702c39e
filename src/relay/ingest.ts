/**
 * The webhook pipeline, in the order the relay promises (README, "Webhooks"): channel → content
 * type → signature over the raw bytes → JSON → event type → payload → commit. Each step is a small
 * function that either passes a value on or throws an HttpError with the exact answer. Only a
 * committed delivery gets a 2xx; nothing of a rejected one is stored. The relay commits through
 * GroupCommit (one transaction per event-loop turn); `ingestDelivery` commits one at a time.
 */
import { createHash } from 'node:crypto';
import { repositorySlug } from '../core/event.js';
import { JsonSyntaxError, parseJsonLosslessly } from '../core/json.js';
import { providerForRequest } from '../providers/index.js';
import type { Headers, WebhookProvider } from '../providers/provider.js';
import { headerValue } from '../providers/provider.js';
import type { ChannelSecrets } from './channels.js';
import type { AppendResult, EventLog, NewLogEntry } from './eventLog.js';
import { HttpError } from './http/errors.js';
import type { RelayRateLimits } from './http/rateLimit.js';

export interface Delivery {
  readonly channel: string;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly receivedAt: number;
}

/** What the relay answers, and what it committed (for fan-out and metrics). */
export type IngestOutcome =
  | { readonly status: 200; readonly outcome: 'stored' | 'duplicate' | 'recorded'; readonly seq: number; readonly streamed: StreamedEvent | null }
  | { readonly status: 202; readonly outcome: 'ignored'; readonly eventType: string };

/** A committed, streamable event, ready for the hub. */
export interface StreamedEvent {
  readonly seq: number;
  readonly channel: string;
  readonly repository: string;
  readonly eventJson: string;
  readonly receivedAt: number;
}

export interface IngestDependencies {
  readonly channels: Pick<ChannelSecrets, 'secretOf'>;
  /** The per-channel webhook limit; absent in tests of the pipeline alone. */
  readonly limits?: Pick<RelayRateLimits, 'hookForChannel'>;
}

/** A delivery that passed every check: answered at once (ignored), or a row to commit first. */
export type AdmittedDelivery =
  | { readonly kind: 'answer'; readonly outcome: IngestOutcome }
  | { readonly kind: 'commit'; readonly entry: NewLogEntry };

/**
 * Every check of the pipeline, up to (not including) the commit. Throws an HttpError with the
 * exact answer for a delivery that must be refused.
 */
export function admitDelivery(delivery: Delivery, deps: IngestDependencies): AdmittedDelivery {
  const secret = channelSecret(delivery.channel, deps.channels);
  requireJsonContentType(delivery.headers);
  const provider = providerForRequest(delivery.headers);
  if (!provider.verifySignature(delivery.body, delivery.headers, secret)) {
    throw new HttpError(401, `missing or invalid signature: sign the raw body with the channel's secret (${provider.name})`);
  }
  // After the signature: only the channel's own sender can spend the channel's budget.
  const wait = deps.limits?.hookForChannel(delivery.channel) ?? 0;
  if (wait > 0) throw new HttpError(429, 'too many deliveries for this channel; retry later', { 'Retry-After': String(wait) });
  const json = parseBody(delivery.body);
  const eventType = requireEventType(provider, delivery.headers);
  const dedupeKey = deliveryKey(provider, eventType, delivery);
  const decoded = provider.decode(eventType, json, { id: dedupeKey, receivedAt: delivery.receivedAt });
  const row = { channel: delivery.channel, dedupeKey, provider: provider.name, eventType, body: delivery.body, receivedAt: delivery.receivedAt };
  switch (decoded.kind) {
    case 'ignored':
      return { kind: 'answer', outcome: { status: 202, outcome: 'ignored', eventType } };
    case 'invalid':
      throw new HttpError(422, decoded.message);
    case 'record':
      return { kind: 'commit', entry: { ...row, repository: null, eventJson: null } };
    case 'event':
      return { kind: 'commit', entry: { ...row, repository: repositorySlug(decoded.event.repository), eventJson: JSON.stringify(decoded.event) } };
  }
}

/** The answer for a committed entry, and the event to stream when it is new and streamable. */
export function committedOutcome(entry: NewLogEntry, { seq, duplicate }: AppendResult): IngestOutcome {
  if (duplicate) return { status: 200, outcome: 'duplicate', seq, streamed: null };
  if (entry.eventJson === null || entry.repository === null) return { status: 200, outcome: 'recorded', seq, streamed: null };
  return {
    status: 200, outcome: 'stored', seq,
    streamed: { seq, channel: entry.channel, repository: entry.repository, eventJson: entry.eventJson, receivedAt: entry.receivedAt },
  };
}

/** The whole pipeline with a synchronous commit, one transaction per delivery (tools and tests). */
export function ingestDelivery(delivery: Delivery, deps: IngestDependencies & { readonly log: Pick<EventLog, 'append'> }): IngestOutcome {
  const admitted = admitDelivery(delivery, deps);
  if (admitted.kind === 'answer') return admitted.outcome;
  return committedOutcome(admitted.entry, deps.log.append(admitted.entry));
}

function channelSecret(channel: string, channels: Pick<ChannelSecrets, 'secretOf'>): string {
  const secret = channels.secretOf(channel);
  if (secret === undefined) throw new HttpError(404, `no channel named '${channel.slice(0, 64)}' on this relay`);
  return secret;
}

/** Cirrus documents no Content-Type, so none is fine; one that says anything but JSON is not. */
function requireJsonContentType(headers: Headers): void {
  const contentType = headerValue(headers, 'content-type');
  if (contentType === undefined || contentType.trim() === '') return;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return;
  // GitHub offers two content types and defaults to form encoding: the fix is one setting there.
  throw new HttpError(415, `the body must be JSON, not '${mediaType.slice(0, 100)}': choose the content type application/json in the webhook's settings`);
}

function parseBody(body: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8');
  }
  try {
    return parseJsonLosslessly(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new HttpError(400, `the body is not JSON: ${error.message}`);
    throw error;
  }
}

function requireEventType(provider: WebhookProvider, headers: Headers): string {
  const eventType = headerValue(headers, provider.eventHeader)?.trim();
  if (!eventType) throw new HttpError(400, `missing the ${provider.eventHeader} header that names the event type`);
  if (eventType.length > 100) throw new HttpError(400, `the ${provider.eventHeader} header is too long`);
  return eventType;
}

/**
 * Same delivery, same key: the provider's delivery id when it sends one (GitHub), otherwise the
 * event type and the exact body (Cirrus, which has no delivery id and retries with the same bytes).
 */
function deliveryKey(provider: WebhookProvider, eventType: string, delivery: Delivery): string {
  const hash = createHash('sha256').update(provider.name).update('\n').update(eventType).update('\n');
  const deliveryId = provider.deliveryId(delivery.headers);
  if (deliveryId !== undefined) hash.update('delivery-id\n').update(deliveryId);
  else hash.update(delivery.body);
  return hash.digest('hex').slice(0, 32);
}
