/**
 * The webhook pipeline, in the order the relay promises (README, "Webhooks"): channel → content
 * type (both before the body is read) → signature over the raw bytes → duplicate → the channel's
 * budget → event type → JSON → payload → commit. Each step is a small
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
import type { AppendResult, NewLogEntry, StreamKind } from './eventLog.js';
import type { RelayStorage } from './storage/storage.js';
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

/** A committed, streamable row (an event, or an acknowledgement), ready for the hub. */
export interface StreamedEvent {
  readonly seq: number;
  readonly kind: StreamKind;
  readonly channel: string;
  readonly repository: string;
  readonly eventJson: string;
  readonly receivedAt: number;
}

export interface IngestDependencies {
  readonly channels: Pick<ChannelSecrets, 'secretOf'>;
  /** The per-channel webhook limit; absent in tests of the pipeline alone. */
  readonly limits?: Pick<RelayRateLimits, 'hookForChannel'>;
  /** Finds an earlier copy, so a replay is answered as a duplicate before it spends the channel's budget. */
  readonly storage?: Pick<RelayStorage, 'stored'>;
}

/** A delivery that passed every check: answered at once (ignored, duplicate), or a row to commit first. */
export type AdmittedDelivery =
  | { readonly kind: 'answer'; readonly outcome: IngestOutcome }
  | { readonly kind: 'commit'; readonly entry: NewLogEntry };

/** What the headers alone established: the channel's secret and the provider that sent it. */
export interface AdmittedHeaders {
  readonly channel: string;
  readonly secret: string;
  readonly provider: WebhookProvider;
}

/**
 * An unknown channel gets the same answer as a wrong signature: a relay that said 404 told anyone
 * which channel names exist. (Whether the relay reads the body still differs; see SECURITY.md.)
 */
const NOT_SIGNED_FOR_A_CHANNEL = "missing or invalid signature, or no such channel: check the webhook's URL and sign the raw body with the channel's secret";

/**
 * The checks that need no body, run before a byte of it is read, so a sender who knows no
 * channel cannot make the relay hold bodies in memory: channel → content type → provider.
 */
export async function admitHeaders(channel: string, headers: Headers, deps: Pick<IngestDependencies, 'channels'>): Promise<AdmittedHeaders> {
  const secret = channel === '' ? undefined : await deps.channels.secretOf(channel);
  if (secret === undefined) throw new HttpError(401, NOT_SIGNED_FOR_A_CHANNEL);
  requireJsonContentType(headers);
  return { channel, secret, provider: providerForRequest(headers) };
}

/**
 * The checks on the body, in order: signature → duplicate → the channel's budget → JSON → event
 * type → payload. Throws an HttpError with the exact answer for a delivery that must be refused.
 */
export async function admitBody(delivery: Delivery, admitted: AdmittedHeaders, deps: IngestDependencies): Promise<AdmittedDelivery> {
  const { provider, secret } = admitted;
  if (!provider.verifySignature(delivery.body, delivery.headers, secret)) {
    throw new HttpError(401, `${NOT_SIGNED_FOR_A_CHANNEL} (${provider.name})`);
  }
  const eventType = requireEventType(provider, delivery.headers);
  const keys = { channel: delivery.channel, dedupeKey: bodyKey(provider, eventType, delivery.body), deliveryId: provider.deliveryId(delivery.headers) ?? null };
  // A replayed delivery is answered from the log: it must not spend the budget new deliveries need.
  const earlier = await deps.storage?.stored(keys);
  if (earlier !== undefined) return { kind: 'answer', outcome: { status: 200, outcome: 'duplicate', seq: earlier, streamed: null } };
  // After the signature: only the channel's own sender can spend the channel's budget.
  const wait = deps.limits?.hookForChannel(delivery.channel) ?? 0;
  if (wait > 0) throw new HttpError(429, 'too many deliveries for this channel; retry later', { 'Retry-After': String(wait) });
  const json = parseBody(delivery.body);
  const decoded = provider.decode(eventType, json, { id: keys.dedupeKey, receivedAt: delivery.receivedAt });
  const row = { ...keys, provider: provider.name, eventType, body: delivery.body, receivedAt: delivery.receivedAt };
  switch (decoded.kind) {
    case 'ignored':
      return { kind: 'answer', outcome: { status: 202, outcome: 'ignored', eventType } };
    case 'invalid':
      throw new HttpError(422, decoded.message);
    case 'record':
      return { kind: 'commit', entry: { ...row, repository: null, eventJson: null, buildId: null } };
    case 'event':
      return { kind: 'commit', entry: { ...row, repository: repositorySlug(decoded.event.repository), eventJson: JSON.stringify(decoded.event), buildId: decoded.event.build.id } };
  }
}

/** Every check of the pipeline, up to (not including) the commit. */
export async function admitDelivery(delivery: Delivery, deps: IngestDependencies): Promise<AdmittedDelivery> {
  return admitBody(delivery, await admitHeaders(delivery.channel, delivery.headers, deps), deps);
}

/** The answer for a committed entry, and the event to stream when it is new and streamable. */
export function committedOutcome(entry: NewLogEntry, { seq, duplicate }: AppendResult): IngestOutcome {
  if (duplicate) return { status: 200, outcome: 'duplicate', seq, streamed: null };
  if (entry.eventJson === null || entry.repository === null) return { status: 200, outcome: 'recorded', seq, streamed: null };
  return {
    status: 200, outcome: 'stored', seq,
    streamed: { seq, kind: 'event', channel: entry.channel, repository: entry.repository, eventJson: entry.eventJson, receivedAt: entry.receivedAt },
  };
}

/** The whole pipeline, one transaction per delivery (tools and tests; the relay commits in groups). */
export async function ingestDelivery(delivery: Delivery, deps: IngestDependencies & { readonly storage: Pick<RelayStorage, 'stored' | 'append'> }): Promise<IngestOutcome> {
  const admitted = await admitDelivery(delivery, deps);
  if (admitted.kind === 'answer') return admitted.outcome;
  const [result] = await deps.storage.append([admitted.entry]);
  return committedOutcome(admitted.entry, result!);
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
 * Same event type and same bytes, same key, for every provider: Cirrus has no delivery id and
 * retries with the same bytes; GitHub's delivery id is a second key (see EventLog), not this one,
 * because its header is not signed.
 */
function bodyKey(provider: WebhookProvider, eventType: string, body: Buffer): string {
  return createHash('sha256').update(provider.name).update('\n').update(eventType).update('\n').update(body).digest('hex').slice(0, 32);
}
