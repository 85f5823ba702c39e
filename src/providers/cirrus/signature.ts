/**
 * Cirrus signs each delivery with HMAC-SHA256 over the raw body, keyed with the webhook secret,
 * sent as a bare lowercase hex digest in `X-Cirrus-Signature` (no `sha256=` prefix).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/** The signature Cirrus would send for this body. Used by the simulator and tests. */
export function signCirrusPayload(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True only when `header` is the HMAC of `rawBody` under `secret`. Compares in constant time;
 * a missing, wrong-length or non-hex header is simply invalid, never an exception.
 */
export function verifyCirrusSignature(rawBody: Buffer | string, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !HEX_DIGEST.test(header) || secret.length === 0) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const received = Buffer.from(header, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
