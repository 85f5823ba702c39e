/** The per-connection frame budget, on a clock the test moves by hand. */
import { describe, expect, it } from 'vitest';
import { ClientFrameBudget } from './clientFrameBudget.js';

function budget(rule = { perSecond: 1, burst: 10, floodAllowance: 100 }) {
  let now = 1_000_000;
  const subject = new ClientFrameBudget(rule, () => now);
  return { subject, advance: (ms: number) => (now += ms), takeMany: (n: number) => Array.from({ length: n }, () => subject.take()) };
}

describe('ClientFrameBudget', () => {
  it('allows the burst, then one frame a second', () => {
    const { takeMany, advance } = budget();
    expect(takeMany(10).every((verdict) => verdict === 'allowed')).toBe(true);
    expect(takeMany(1)).toEqual(['refused']);
    advance(1000);
    // A second later: one token again, and the refusal is said again.
    expect(takeMany(3)).toEqual(['allowed', 'refused', 'refusedQuietly']);
  });

  it('says "refused" at most once a second', () => {
    const { takeMany, advance } = budget();
    takeMany(10);
    expect(takeMany(5)).toEqual(['refused', 'refusedQuietly', 'refusedQuietly', 'refusedQuietly', 'refusedQuietly']);
    advance(999);
    // 0.999 of a token, and less than a second since the last refusal was said.
    expect(takeMany(1)).toEqual(['refusedQuietly']);
    advance(1);
    expect(takeMany(3)).toEqual(['allowed', 'refused', 'refusedQuietly']);
  });

  it('calls a connection flooding on its 101st frame over the limit', () => {
    const { takeMany } = budget();
    takeMany(10);
    const over = takeMany(101);
    expect(over.slice(0, 100).includes('flooding')).toBe(false);
    expect(over[100]).toBe('flooding');
  });

  it('never calls a client flooding that strays over the limit now and then', () => {
    const { takeMany, advance } = budget();
    for (let second = 0; second < 1000; second += 1) {
      // Two frames a second, one over the limit: the allowance regains what it spends.
      expect(takeMany(2)).not.toContain('flooding');
      advance(1000);
    }
  });

  it('refuses an impossible rule when it is made', () => {
    expect(() => new ClientFrameBudget({ perSecond: 0, burst: 1, floodAllowance: 1 }, () => 0)).toThrow(TypeError);
  });
});
