import { describe, expect, it } from 'vitest';
import { FakeTime } from '../../../test/support/fakeTime.js';
import { NamedTimers, systemTimers } from './timers.js';

describe('NamedTimers', () => {
  it('keeps one timer per name, replacing it when scheduled again', () => {
    const time = new FakeTime(0);
    const timers = new NamedTimers<'a' | 'b'>(time.timers, time.clock);
    const ran: string[] = [];
    timers.schedule('a', 100, () => ran.push('a@100'));
    timers.schedule('a', 50, () => ran.push('a@50'));
    timers.schedule('b', -5, () => ran.push(`b@${time.now}`));
    expect(time.pending).toBe(2);
    time.advance(200);
    expect(ran).toEqual(['b@0', 'a@50']);
  });

  it('runs nothing after stop, even when scheduled later', () => {
    const time = new FakeTime(0);
    const timers = new NamedTimers<'a'>(time.timers, time.clock);
    let ran = false;
    timers.schedule('a', 10, () => (ran = true));
    timers.stop();
    timers.schedule('a', 10, () => (ran = true));
    time.advance(100);
    expect(ran).toBe(false);
    expect(time.pending).toBe(0);
  });
});

describe('systemTimers', () => {
  it('fires on Node timers that do not hold the process open', async () => {
    let handle: unknown;
    await new Promise<void>((resolve) => {
      handle = systemTimers.setTimeout(resolve, 1);
    });
    expect((handle as NodeJS.Timeout).hasRef()).toBe(false);
  });
});
