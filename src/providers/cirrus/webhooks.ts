/** Cirrus CI behind the relay's provider boundary: headers, signature, event types, payloads. */
import { describeZodError } from '../../core/validation.js';
import type { DecodeContext, Headers, WebhookDecoding, WebhookProvider } from '../provider.js';
import { headerValue } from '../provider.js';
import { normaliseCirrusBuildEvent, normaliseCirrusTaskEvent } from './normalise.js';
import {
  cirrusAuditEventSchema,
  cirrusBuildEventSchema,
  cirrusTaskEventSchema,
  unwrapCirrusPayload,
} from './payload.js';
import { verifyCirrusSignature } from './signature.js';

export const CIRRUS_EVENT_HEADER = 'x-cirrus-event';
export const CIRRUS_SIGNATURE_HEADER = 'x-cirrus-signature';

export function decodeCirrusDelivery(eventType: string, body: unknown, context: DecodeContext): WebhookDecoding {
  const payload = unwrapCirrusPayload(body);
  switch (eventType) {
    case 'build': {
      const parsed = cirrusBuildEventSchema.safeParse(payload);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid Cirrus build event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseCirrusBuildEvent(parsed.data, context) };
    }
    case 'task': {
      const parsed = cirrusTaskEventSchema.safeParse(payload);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid Cirrus task event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseCirrusTaskEvent(parsed.data, context) };
    }
    case 'audit_event': {
      const parsed = cirrusAuditEventSchema.safeParse(payload);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid Cirrus audit event: ${describeZodError(parsed.error)}` };
      return { kind: 'record' };
    }
    default:
      return { kind: 'ignored' };
  }
}

export const cirrusWebhooks: WebhookProvider = {
  name: 'cirrus',
  eventHeader: CIRRUS_EVENT_HEADER,
  recognises: (headers: Headers) =>
    headers[CIRRUS_EVENT_HEADER] !== undefined || headers[CIRRUS_SIGNATURE_HEADER] !== undefined,
  verifySignature: (rawBody, headers, secret) =>
    verifyCirrusSignature(rawBody, headerValue(headers, CIRRUS_SIGNATURE_HEADER), secret),
  deliveryId: () => undefined,
  decode: decodeCirrusDelivery,
};
