/**
 * The one boundary between the relay and a CI provider's webhook format. The relay knows only
 * this interface; each provider folder implements it (Cirrus now, GitHub Actions next), so no
 * provider-specific line lives in the relay or the engine.
 */
import type { NormalisedEvent, Provider } from '../core/event.js';

export type HeaderValue = string | string[] | undefined;
export type Headers = Readonly<Record<string, HeaderValue>>;

/** What a verified, parsed delivery turned out to be. */
export type WebhookDecoding =
  /** A build or task event: stored and streamed. */
  | { readonly kind: 'event'; readonly event: NormalisedEvent }
  /** Valid and worth keeping (an audit event), but never streamed to desktops. */
  | { readonly kind: 'record' }
  /** An event type this relay does not handle: acknowledged (202) so the sender stops, not stored. */
  | { readonly kind: 'ignored' }
  /** JSON that is not a valid payload of its event type; `message` names the field. */
  | { readonly kind: 'invalid'; readonly message: string };

export interface DecodeContext {
  /** The dedupe key of this delivery, which becomes the normalised event's `id`. */
  readonly id: string;
  readonly receivedAt: number;
}

export interface WebhookProvider {
  readonly name: Provider;
  /** The header that names the event type, lower case (e.g. `x-cirrus-event`). */
  readonly eventHeader: string;
  /** True when these headers come from this provider. */
  recognises(headers: Headers): boolean;
  /** Checks the delivery's signature over the exact raw bytes; false when missing or wrong. */
  verifySignature(rawBody: Buffer, headers: Headers, secret: string): boolean;
  /** A provider-issued delivery id, when the provider sends one (GitHub does, Cirrus does not). */
  deliveryId(headers: Headers): string | undefined;
  decode(eventType: string, body: unknown, context: DecodeContext): WebhookDecoding;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
