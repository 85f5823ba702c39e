import { describe, expect, it } from 'vitest';
import { FakeTime } from '../../test/support/fakeTime.js';
import { createClockRunner } from './clockRunner.js';

const START = 1_700_000_000_000;

function runner(speed: number, autoAdvance = true) {
  const real = new FakeTime(START);
  const time = createClockRunner({ speed, autoAdvance, clock: real.clock, timers: real.timers });
  const ran: number[] = [];
  const plan = (delayMs: number) => time.agenda.after(delayMs, () => ran.push(time.agenda.now() - START));
  return { real, time, ran, plan };
}

describe('createClockRunner', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses speed %s with a TypeError', (speed) => {
    expect(() => runner(speed)).toThrow(new TypeError(`speed must be a positive number, got ${speed}`));
  });

  it('runs each entry on real timers scaled by speed, at its simulated instant', () => {
    const { real, time, ran, plan } = runner(10);
    plan(10_000);
    plan(30_000);
    expect(real.pending).toBe(1); // one timer, for the next entry only
    real.advance(999);
    expect(ran).toEqual([]);
    real.advance(1);
    expect(ran).toEqual([10_000]);
    expect(time.now()).toBe(START + 10_000);
    real.advance(2_000);
    expect(ran).toEqual([10_000, 30_000]);
    expect(real.pending).toBe(0);
  });

  it('re-arms for an entry planned sooner than the one it waits for', () => {
    const { real, ran, plan } = runner(2);
    plan(60_000);
    plan(4_000);
    real.advance(2_000);
    expect(ran).toEqual([4_000]);
    expect(real.pending).toBe(1);
  });

  it('catches up on request without waiting for the timer, and advance() moves past real time', () => {
    const { real, time, ran, plan } = runner(1);
    plan(5_000);
    real.now += 6_000; // real time passed but the timer has not fired yet (a busy event loop)
    time.catchUp();
    expect(ran).toEqual([5_000]);
    plan(60_000);
    expect(time.advance(70_000)).toBe(1);
    expect(ran).toEqual([5_000, 66_000]);
    // Simulated time never goes back to the slower real clock.
    expect(time.now()).toBe(START + 76_000);
  });

  it('without autoAdvance arms no timer and moves only through advance()', () => {
    const { real, time, ran, plan } = runner(10, false);
    plan(1_000);
    expect(real.pending).toBe(0);
    real.advance(60_000);
    time.catchUp();
    expect(ran).toEqual([]);
    expect(time.now()).toBe(START);
    expect(time.advance(1_000)).toBe(1);
    expect(ran).toEqual([1_000]);
  });

  it('runs nothing after stop(), and plans made later arm no timer', () => {
    const { real, time, ran, plan } = runner(1);
    plan(1_000);
    time.stop();
    expect(real.pending).toBe(0);
    plan(2_000);
    expect(real.pending).toBe(0);
    real.advance(10_000);
    expect(ran).toEqual([]);
  });
});
