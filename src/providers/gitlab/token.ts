/**
 * How a GitLab delivery proves where it came from. GitLab does not sign its body: it sends the
 * webhook's secret token as is in `X-Gitlab-Token`, which must equal the channel's secret
 * (compared in constant time: digests of equal length, so neither content nor length leaks).
 * Newer GitLab can also sign in the Standard Webhooks format (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`); where a delivery
 * carries those headers, that signature must verify too, and its timestamp be recent.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far a Standard Webhooks timestamp may be from now: the spec's suggested 5 minutes. */
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

/** True only when `header` is exactly `secret`. Never throws. */
export function verifyGitlabToken(header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || secret.length === 0) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(header), digest(secret));
}

/**
 * The key of a Standard Webhooks secret: `whsec_<base64>` is the spec's form (the key is the
 * decoded bytes); any other secret is used as its UTF-8 bytes.
 */
export function standardWebhooksKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** The `webhook-signature` value (one `v1,` signature) for this delivery. Used by the simulator and tests. */
export function signStandardWebhook(id: string, timestampSeconds: number, rawBody: Buffer | string, secret: string): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestampSeconds}.`).update(rawBody).digest('base64');
  return `v1,${mac}`;
}

export interface StandardWebhookHeaders {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/**
 * True when one of the space-separated `v1,` signatures is the HMAC of `{id}.{timestamp}.{body}`
 * and the timestamp is within the tolerance of `nowMs`. Never throws.
 */
export function verifyStandardWebhook(rawBody: Buffer | string, headers: StandardWebhookHeaders, secret: string, nowMs: number): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || secret.length === 0 || id.length > 200) return false;
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > STANDARD_WEBHOOKS_TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest();
  return signature.split(' ').some((candidate) => {
    const match = /^v1,([A-Za-z0-9+/]+={0,2})$/.exec(candidate.trim());
    if (!match) return false;
    const received = Buffer.from(match[1]!, 'base64');
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
}
