import { describe, expect, it } from 'vitest';
import { BurstCoalescer } from './burstCoalescer.js';
import { CatchUpDigest } from './catchUpDigest.js';
import { candidate } from '../../../test/support/engineEvents.js';

const titles = (intents: Array<{ title: string }>) => intents.map((intent) => intent.title);

describe('BurstCoalescer', () => {
  it('shows notifications one by one below the threshold', () => {
    const coalescer = new BurstCoalescer({ threshold: 3, windowMs: 10_000 });
    expect(titles(coalescer.offer(candidate('1', 'failed'), 0))).toEqual(['acme/web · main failed']);
    expect(titles(coalescer.offer(candidate('2', 'failed'), 5_000))).toEqual(['acme/web · main failed']);
    // The first fell out of the window: still two within 10 s.
    expect(titles(coalescer.offer(candidate('3', 'failed'), 10_000))).toEqual(['acme/web · main failed']);
    expect(coalescer.nextFlushAt()).toBeNull();
  });

  it('turns the notification that makes a burst into a summary of the burst, and folds in later ones', () => {
    const coalescer = new BurstCoalescer(); // 5 within 10 s
    for (let i = 1; i <= 4; i += 1) expect(coalescer.offer(candidate(String(i), 'failed'), i * 1_000)).toHaveLength(1);
    expect(titles(coalescer.offer(candidate('5', 'failed', 'acme/api'), 5_000))).toEqual([
      '5 builds failed in acme/web, acme/api',
    ]);
    expect(coalescer.offer(candidate('6', 'failed'), 6_000)).toEqual([]);
    expect(coalescer.offer(candidate('7', 'fixed'), 7_000)).toEqual([]);
    expect(coalescer.isHeld('build:cirrus:7')).toBe(true);
    expect(coalescer.nextFlushAt()).toBe(15_000);
    expect(coalescer.flush(14_999)).toEqual([]);
    const [update] = coalescer.flush(15_000);
    expect(update).toMatchObject({ key: 'summary:burst', title: '7 builds: 6 failed, 1 fixed', url: 'https://cirrus-ci.com/build/6' });
    // Nothing new since: the burst ends quietly 10 s after its last notification.
    expect(coalescer.nextFlushAt()).toBe(17_000);
    expect(coalescer.flush(17_000)).toEqual([]);
    expect(coalescer.nextFlushAt()).toBeNull();
    expect(titles(coalescer.offer(candidate('8', 'failed'), 30_000))).toEqual(['acme/web · main failed']);
  });

  it('counts a build that changes again within the window once', () => {
    const coalescer = new BurstCoalescer({ threshold: 2 });
    expect(coalescer.offer(candidate('1', 'failed'), 0)).toHaveLength(1);
    expect(titles(coalescer.offer(candidate('1', 'fixed'), 1_000))).toEqual(['acme/web · main fixed']);
  });

  it('shows a pending summary when a new notification comes after the burst went quiet without a flush', () => {
    const coalescer = new BurstCoalescer({ threshold: 2, windowMs: 1_000 });
    coalescer.offer(candidate('1', 'failed'), 0);
    coalescer.offer(candidate('2', 'failed'), 100);
    coalescer.offer(candidate('3', 'failed'), 200);
    expect(titles(coalescer.offer(candidate('4', 'fixed'), 5_000))).toEqual([
      '3 builds failed in acme/web',
      'acme/web · main fixed',
    ]);
  });

  it('refuses options that cannot make a burst', () => {
    expect(() => new BurstCoalescer({ threshold: 1 })).toThrow(TypeError);
    expect(() => new BurstCoalescer({ windowMs: 0 })).toThrow(TypeError);
  });
});

describe('CatchUpDigest', () => {
  it('collects nothing when no catch-up is under way', () => {
    const digest = new CatchUpDigest();
    expect(digest.collect(candidate('1', 'failed'))).toBe(false);
    expect(digest.end()).toBeNull();
  });

  it('ends with the single notification when one build has news', () => {
    const digest = new CatchUpDigest();
    digest.begin();
    digest.collect(candidate('1', 'failed'));
    digest.collect(candidate('1', 'fixed'));
    expect(digest.end()?.title).toBe('acme/web · main fixed');
    expect(digest.active).toBe(false);
  });

  it('ends with one summary of everything that happened while away', () => {
    const digest = new CatchUpDigest();
    digest.begin();
    for (let i = 1; i <= 12; i += 1) digest.collect(candidate(String(i), i % 3 === 0 ? 'fixed' : 'failed'));
    expect(digest.isHeld('build:cirrus:12')).toBe(true);
    expect(digest.end()).toMatchObject({ key: 'summary:catch-up', title: 'While you were away: 12 builds: 8 failed, 4 fixed' });
    expect(digest.end()).toBeNull();
  });
});
