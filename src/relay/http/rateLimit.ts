/**
 * Token buckets: each key (an address, a channel) holds up to `burst` tokens and gains `perSecond`
 * of them a second; a request spends one or is refused with how long until the next token. Cirrus
 * sends every organisation's webhooks from a handful of addresses in bursts, so the defaults (see
 * options.ts) are far above a big organisation's normal burst: they stop floods, not builds.
 */

export interface BucketRule {
  /** Tokens gained per second: the sustained rate allowed. */
  readonly perSecond: number;
  /** The most tokens a key can hold: the burst allowed after a quiet spell. */
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Keys are bounded: past `maxKeys` the least recently used bucket is forgotten (a forgotten key
 * starts full again), so a sender inventing addresses cannot grow the relay's memory.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly clock: () => number,
    private readonly maxKeys = 10_000,
  ) {
    if (!(rule.perSecond > 0) || !(rule.burst >= 1)) throw new TypeError('a rate limit needs perSecond > 0 and burst >= 1');
  }

  /** Spends a token of `key`: 0 when allowed, otherwise the whole seconds to wait (at least 1). */
  take(key: string): number {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.rule.burst, updatedAt: now };
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * this.rule.perSecond);
    bucket.updatedAt = now;
    // Delete and re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rule.perSecond));
  }

  get size(): number {
    return this.buckets.size;
  }
}

export interface RateLimitRules {
  readonly hookPerAddress: BucketRule;
  readonly hookPerChannel: BucketRule;
  readonly streamPerAddress: BucketRule;
}

/** The relay's three limits; `null` rules (rate limits off, for benchmarks) allow everything. */
export class RelayRateLimits {
  private readonly hookAddress: TokenBuckets | undefined;
  private readonly hookChannel: TokenBuckets | undefined;
  private readonly streamAddress: TokenBuckets | undefined;

  constructor(rules: RateLimitRules | null, clock: () => number) {
    this.hookAddress = rules ? new TokenBuckets(rules.hookPerAddress, clock) : undefined;
    this.hookChannel = rules ? new TokenBuckets(rules.hookPerChannel, clock) : undefined;
    this.streamAddress = rules ? new TokenBuckets(rules.streamPerAddress, clock) : undefined;
  }

  /** A webhook from `address`, before its body is read. */
  hookFromAddress(address: string): number {
    return this.hookAddress?.take(address) ?? 0;
  }

  /** A signed webhook of `channel`: counted only after the signature, so nobody can spend a channel's budget without its secret. */
  hookForChannel(channel: string): number {
    return this.hookChannel?.take(channel) ?? 0;
  }

  /** A stream upgrade from `address`, before its token is checked (which also slows token guessing). */
  streamFromAddress(address: string): number {
    return this.streamAddress?.take(address) ?? 0;
  }
}
