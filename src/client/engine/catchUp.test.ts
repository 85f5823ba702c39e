import { describe, expect, it } from 'vitest';
import { FakeTime } from '../../../test/support/fakeTime.js';
import { CatchUp } from './catchUp.js';
import { NamedTimers } from './timers.js';

function setup() {
  const time = new FakeTime(0);
  const calls: string[] = [];
  const catchUp = new CatchUp({
    pipeline: { beginCatchUp: () => calls.push('begin'), endCatchUp: () => calls.push('end'), burstWindowMs: 1000 },
    timers: new NamedTimers(time.timers, time.clock),
    onEnd: () => calls.push('tray'),
  });
  return { time, calls, catchUp };
}

describe('CatchUp', () => {
  it('starts an implicit catch-up at the first replayed event and ends it at the first live one', () => {
    const { calls, catchUp } = setup();
    catchUp.beforeEvent(true);
    catchUp.beforeEvent(true);
    expect(calls).toEqual(['begin']);
    catchUp.beforeEvent(false);
    expect(calls).toEqual(['begin', 'end', 'tray']);
  });

  it('ends an implicit catch-up one burst window after its last event', () => {
    const { time, calls, catchUp } = setup();
    catchUp.beforeEvent(true);
    catchUp.afterEvent(0);
    time.advance(600);
    catchUp.beforeEvent(true);
    catchUp.afterEvent(600);
    time.advance(999);
    expect(calls).toEqual(['begin']);
    time.advance(1);
    expect(calls).toEqual(['begin', 'end', 'tray']);
  });

  it('keeps an explicit catch-up until end(), whatever the events say', () => {
    const { time, calls, catchUp } = setup();
    catchUp.begin();
    catchUp.beforeEvent(false);
    catchUp.afterEvent(0);
    time.advance(10_000);
    expect(calls).toEqual(['begin']);
    expect(time.pending).toBe(0);
    catchUp.end();
    expect(calls).toEqual(['begin', 'end', 'tray']);
  });

  it('schedules nothing after stop()', () => {
    const { time, catchUp } = setup();
    catchUp.beforeEvent(true);
    catchUp.afterEvent(0);
    catchUp.stop();
    expect(time.pending).toBe(0);
  });
});
