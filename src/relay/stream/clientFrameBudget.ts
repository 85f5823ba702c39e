/**
 * How many frames one stream's client may send: a token bucket (a burst, then a steady rate),
 * counted before a frame is even parsed, so a flood costs the relay a comparison per frame. A
 * refused frame is answered with a `rate_limited` error at most once a second (answering each
 * would let the flood make the relay write as fast as it reads), and spends one of the
 * connection's `floodAllowance`, which grows back one a second: a client that keeps sending far
 * over the limit runs out and is closed (1008), one that strays over it now and then never does.
 */
import type { Clock } from '../../core/ports.js';

export interface ClientFrameRule {
  /** Frames a second a client may keep sending. */
  readonly perSecond: number;
  /** Frames it may send at once after a quiet spell. */
  readonly burst: number;
  /** Frames over the limit (regained one a second) before the connection is closed. */
  readonly floodAllowance: number;
}

/**
 * What to do with a frame: handle it; refuse it and say so; refuse it silently (already said
 * this second); or close the connection.
 */
export type FrameVerdict = 'allowed' | 'refused' | 'refusedQuietly' | 'flooding';

export class ClientFrameBudget {
  private tokens: number;
  private allowance: number;
  private updatedAt: number;
  private lastRefusalSaidAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly rule: ClientFrameRule, private readonly clock: Clock) {
    if (!(rule.perSecond > 0) || !(rule.burst >= 1) || !(rule.floodAllowance >= 1)) throw new TypeError('a client frame rule needs perSecond > 0, burst >= 1 and floodAllowance >= 1');
    this.tokens = rule.burst;
    this.allowance = rule.floodAllowance;
    this.updatedAt = clock();
  }

  /** Counts one frame from the client. */
  take(): FrameVerdict {
    const now = this.clock();
    const seconds = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.tokens = Math.min(this.rule.burst, this.tokens + seconds * this.rule.perSecond);
    this.allowance = Math.min(this.rule.floodAllowance, this.allowance + seconds);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'allowed';
    }
    this.allowance -= 1;
    if (this.allowance < 0) return 'flooding';
    if (now - this.lastRefusalSaidAt < 1000) return 'refusedQuietly';
    this.lastRefusalSaidAt = now;
    return 'refused';
  }
}
