/** GitHub Actions behind the relay's provider boundary: headers, signature, event types, payloads. */
import { describeZodError } from '../../core/validation.js';
import type { DecodeContext, Headers, WebhookDecoding, WebhookProvider } from '../provider.js';
import { headerValue } from '../provider.js';
import { normaliseGithubJobEvent, normaliseGithubRunEvent } from './normalise.js';
import { githubPingEventSchema, githubWorkflowJobEventSchema, githubWorkflowRunEventSchema } from './payload.js';
import { verifyGithubSignature } from './signature.js';

export const GITHUB_EVENT_HEADER = 'x-github-event';
export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';
export const GITHUB_DELIVERY_HEADER = 'x-github-delivery';

/** GitHub's delivery ids are GUIDs; anything longer is not one and is not trusted as a key. */
const MAX_DELIVERY_ID_LENGTH = 100;

export function decodeGithubDelivery(eventType: string, body: unknown, context: DecodeContext): WebhookDecoding {
  switch (eventType) {
    case 'workflow_run': {
      const parsed = githubWorkflowRunEventSchema.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid GitHub workflow_run event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseGithubRunEvent(parsed.data, context) };
    }
    case 'workflow_job': {
      const parsed = githubWorkflowJobEventSchema.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid GitHub workflow_job event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseGithubJobEvent(parsed.data, context) };
    }
    case 'ping': {
      // Sent once when the webhook is created: a signed, valid ping proves the setup works.
      const parsed = githubPingEventSchema.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid GitHub ping: ${describeZodError(parsed.error)}` };
      return { kind: 'ignored' };
    }
    default:
      return { kind: 'ignored' };
  }
}

export const githubWebhooks: WebhookProvider = {
  name: 'github',
  eventHeader: GITHUB_EVENT_HEADER,
  recognises: (headers: Headers) =>
    headers[GITHUB_EVENT_HEADER] !== undefined || headers[GITHUB_SIGNATURE_HEADER] !== undefined,
  verifySignature: (rawBody, headers, secret) =>
    verifyGithubSignature(rawBody, headerValue(headers, GITHUB_SIGNATURE_HEADER), secret),
  deliveryId: (headers) => {
    const id = headerValue(headers, GITHUB_DELIVERY_HEADER)?.trim();
    return id && id.length <= MAX_DELIVERY_ID_LENGTH ? id : undefined;
  },
  decode: decodeGithubDelivery,
};
