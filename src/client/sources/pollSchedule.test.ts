import { describe, expect, it } from 'vitest';
import type { Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import { buildEvent } from '../../../test/support/engineEvents.js';
import { FakeTime } from '../../../test/support/fakeTime.js';
import { checkPollInterval, createPollSchedule, deliverEvents, parseWatchedRepositories } from './pollSchedule.js';

/** A schedule over polls a test releases one by one; results are the poll's number. */
function harness(delays: number[] = [60_000]) {
  const time = new FakeTime();
  const pending: (() => void)[] = [];
  const delivered: number[] = [];
  let polls = 0;
  let asked = 0;
  const schedule = createPollSchedule<number>({
    poll: () => {
      const n = (polls += 1);
      return new Promise<number>((resolve) => pending.push(() => resolve(n)));
    },
    deliver: (n) => void delivered.push(n),
    nextDelay: () => delays[Math.min(asked++, delays.length - 1)]!,
    timers: time.timers,
  });
  /** Lets the oldest poll in flight answer, and waits for its delivery. */
  const release = async () => {
    pending.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { time, schedule, delivered, release, polls: () => polls, asked: () => asked };
}

describe('createPollSchedule', () => {
  it('polls at start, then each nextDelay() after the last poll ended', async () => {
    const { time, schedule, delivered, release, polls } = harness([1_000, 5_000]);
    schedule.start();
    expect(polls()).toBe(1);
    time.advance(10_000); // nothing is scheduled while a poll is in flight
    expect(polls()).toBe(1);
    await release();
    expect(delivered).toEqual([1]);
    expect(schedule.nextDelayMs()).toBe(1_000);
    time.advance(999);
    expect(polls()).toBe(1);
    time.advance(1);
    expect(polls()).toBe(2);
    await release();
    expect(schedule.nextDelayMs()).toBe(5_000);
    expect(time.pending).toBe(1);
  });

  it('shares a poll in flight: pollNow() during a poll sends no second one', async () => {
    const { schedule, release, polls, delivered } = harness();
    const first = schedule.pollNow();
    const second = schedule.pollNow();
    expect(polls()).toBe(1);
    await release();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(delivered).toEqual([1]);
  });

  it('a manual pollNow() while not started delivers and schedules nothing', async () => {
    const { time, schedule, release, delivered, asked } = harness();
    const result = schedule.pollNow();
    await release();
    expect(await result).toBe(1);
    expect(delivered).toEqual([1]);
    expect(asked()).toBe(0);
    expect(time.pending).toBe(0);
    expect(schedule.nextDelayMs()).toBeNull();
  });

  it('stop() clears the timer, and a poll it cut short delivers nothing', async () => {
    const { time, schedule, release, delivered, polls } = harness();
    schedule.start();
    await release();
    schedule.pollNow();
    schedule.stop();
    expect(schedule.nextDelayMs()).toBeNull();
    await release();
    expect(delivered).toEqual([1]);
    expect(time.pending).toBe(0);
    time.advance(3_600_000);
    expect(polls()).toBe(2);
  });

  it('started again while the stopped poll is in flight: that poll delivers (its news is not lost) and the schedule goes on', async () => {
    const { time, schedule, release, delivered, polls } = harness();
    schedule.start();
    schedule.stop();
    schedule.start(); // shares the poll in flight rather than sending another
    expect(polls()).toBe(1);
    await release();
    expect(delivered).toEqual([1]);
    expect(time.pending).toBe(1);
    // And the next stop of a poll in flight is honoured again.
    time.advance(60_000);
    schedule.stop();
    await release();
    expect(delivered).toEqual([1]);
  });

  it('start() twice starts once', () => {
    const { schedule, polls } = harness();
    schedule.start();
    schedule.start();
    expect(polls()).toBe(1);
  });
});

describe('deliverEvents', () => {
  it('gives every event to the listener; one that throws is logged and the rest still arrive', () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message, fields) => void errors.push(`${message}: ${String(fields?.['error'])}`) };
    const events = [buildEvent({ state: 'failed', buildId: '1' }), buildEvent({ state: 'failed', buildId: '2' }), buildEvent({ state: 'failed', buildId: '3' })];
    const seen: string[] = [];
    deliverEvents(events, (event) => {
      seen.push(event.build.id);
      if (event.build.id === '2') throw new Error('listener broke');
    }, logger);
    expect(seen).toEqual(['1', '2', '3']);
    expect(errors).toEqual(['a poll event listener threw: listener broke']);
  });
});

describe('parseWatchedRepositories and checkPollInterval', () => {
  it('splits owner/name', () => {
    expect(parseWatchedRepositories(['acme/web', 'octo-org/my.repo_2'])).toEqual([
      { owner: 'acme', name: 'web', slug: 'acme/web' },
      { owner: 'octo-org', name: 'my.repo_2', slug: 'octo-org/my.repo_2' },
    ]);
  });

  it.each(['acme', 'acme/web/extra', '/web', 'acme/', 'ac me/web', ''])('refuses %j, naming it', (slug) => {
    expect(() => parseWatchedRepositories(['acme/ok', slug])).toThrow(new TypeError(`watched repository '${slug}' is not of the form owner/name`));
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses an interval of %s ms', (ms) => {
    expect(() => checkPollInterval(ms)).toThrow(/poll interval must be a positive number of ms/);
  });

  it('accepts any positive interval (the pollers raise it to their floor themselves)', () => {
    expect(() => checkPollInterval(1)).not.toThrow();
  });
});
