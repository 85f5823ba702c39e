import { describe, expect, it } from 'vitest';
import type { Figure } from '../../bench/lib/figure.js';
import { median, summariseRuns } from '../../bench/lib/repeat.js';

const figure = (value: number, met: boolean, name = 'latency p99'): Figure => ({
  name, value, unit: 'ms', anchor: { what: 'echo', value: 1, unit: 'ms' }, ratio: value, bar: '≤ 5 ms', met,
});

describe('figures over several runs', () => {
  it('take the median and the spread, and are met only when the worst run met the bar', () => {
    const [summary] = summariseRuns([[figure(3, true)], [figure(9, false)], [figure(4, true)]]);
    expect(summary).toMatchObject({ value: 4, ratio: 4, met: false, metInRuns: 2, spread: { min: 3, max: 9 } });
    expect(summary!.runs.map((run) => run.value)).toEqual([3, 9, 4]);
  });

  it('count a run in which the figure failed as a miss', () => {
    const [summary] = summariseRuns([[figure(3, true)], [], [figure(4, true)]]);
    expect(summary).toMatchObject({ met: false, metInRuns: 2, note: '1 run(s) failed' });
  });

  it('keep the order of the first run', () => {
    expect(summariseRuns([[figure(1, true, 'b'), figure(1, true, 'a')]]).map((each) => each.name)).toEqual(['b', 'a']);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
