/** GitLab CI behind the relay's provider boundary: headers, token, event types, payloads. */
import { describeZodError } from '../../core/validation.js';
import type { DecodeContext, Headers, WebhookDecoding, WebhookProvider } from '../provider.js';
import { headerValue } from '../provider.js';
import { normaliseGitlabJobEvent, normaliseGitlabPipelineEvent } from './normalise.js';
import { gitlabJobEventSchema, gitlabPipelineEventSchema } from './payload.js';
import { verifyGitlabToken, verifyStandardWebhook } from './token.js';

export const GITLAB_EVENT_HEADER = 'x-gitlab-event';
export const GITLAB_TOKEN_HEADER = 'x-gitlab-token';
/** The same on every retry of one event (GitLab 17.4): what drops retries. */
export const GITLAB_IDEMPOTENCY_HEADER = 'idempotency-key';

const MAX_DELIVERY_ID_LENGTH = 100;

export function decodeGitlabDelivery(eventType: string, body: unknown, context: DecodeContext): WebhookDecoding {
  switch (eventType) {
    case 'Pipeline Hook': {
      const parsed = gitlabPipelineEventSchema.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid GitLab pipeline event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseGitlabPipelineEvent(parsed.data, context) };
    }
    case 'Job Hook': {
      const parsed = gitlabJobEventSchema.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', message: `not a valid GitLab job event: ${describeZodError(parsed.error)}` };
      return { kind: 'event', event: normaliseGitlabJobEvent(parsed.data, context) };
    }
    default:
      // Push, merge request, system hooks…: acknowledged so GitLab does not disable the hook, not stored.
      return { kind: 'ignored' };
  }
}

/** @param clock for the Standard Webhooks timestamp check (default Date.now) */
export function createGitlabWebhooks(clock: () => number = Date.now): WebhookProvider {
  return {
    name: 'gitlab',
    eventHeader: GITLAB_EVENT_HEADER,
    recognises: (headers: Headers) => headers[GITLAB_EVENT_HEADER] !== undefined || headers[GITLAB_TOKEN_HEADER] !== undefined,
    verifySignature: (rawBody, headers, secret) => {
      if (!verifyGitlabToken(headerValue(headers, GITLAB_TOKEN_HEADER), secret)) return false;
      const standard = { id: headerValue(headers, 'webhook-id'), timestamp: headerValue(headers, 'webhook-timestamp'), signature: headerValue(headers, 'webhook-signature') };
      // Signed as well: then the signature must hold too (a stripped or forged one fails).
      if (standard.id === undefined && standard.timestamp === undefined && standard.signature === undefined) return true;
      return verifyStandardWebhook(rawBody, standard, secret, clock());
    },
    deliveryId: (headers) => {
      const key = headerValue(headers, GITLAB_IDEMPOTENCY_HEADER)?.trim();
      return key && key.length <= MAX_DELIVERY_ID_LENGTH ? `gitlab:${key}` : undefined;
    },
    decode: decodeGitlabDelivery,
  };
}

export const gitlabWebhooks = createGitlabWebhooks();
