/**
 * Who may read `/metrics`. Its labels name every channel and its counters tell how much each
 * receives, so it is off unless the operator sets a metrics token, and then it answers only a
 * caller who presents that token (Prometheus: `authorization: { credentials: <token> }`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccessResult = 'off' | 'denied' | 'allowed';

export class MetricsAccess {
  private readonly expected: Buffer | undefined;

  /** @param token the metrics token; undefined turns `/metrics` off. */
  constructor(token: string | undefined) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  /** Checks an `Authorization` header against the token, in constant time. */
  check(authorization: string | undefined): MetricsAccessResult {
    if (!this.expected) return 'off';
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (presented === undefined) return 'denied';
    // Digests have one length, so the comparison never leaks the token's length either.
    return timingSafeEqual(digest(presented), this.expected) ? 'allowed' : 'denied';
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
