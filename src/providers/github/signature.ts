/**
 * GitHub signs each delivery with HMAC-SHA256 over the raw body, keyed with the webhook secret,
 * sent as `X-Hub-Signature-256: sha256=<lowercase hex>` (the legacy SHA-1 `X-Hub-Signature` is
 * never accepted).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** The `X-Hub-Signature-256` value GitHub would send for this body. Used by the simulator and tests. */
export function signGithubPayload(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * True only when `header` is `sha256=` and the HMAC of `rawBody` under `secret`. Compares in
 * constant time; a missing, unprefixed, wrong-length or non-hex header is invalid, never an exception.
 */
export function verifyGithubSignature(rawBody: Buffer | string, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || secret.length === 0) return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const received = Buffer.from(match[1]!, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
