import { describe, expect, it } from 'vitest';
import type { Figure } from '../../bench/lib/figure.js';
import { median, summariseRuns } from '../../bench/lib/repeat.js';
import { renderTable } from '../../bench/lib/table.js';

const figure = (value: number, met: boolean, name = 'latency p99'): Figure => ({
  name, value, unit: 'ms', anchor: { what: 'echo', value: 1, unit: 'ms' }, ratio: value, bar: '≤ 5 ms', met,
});

describe('figures over several runs', () => {
  it('take the median and the spread, and are met only when the worst run met the bar', () => {
    const [summary] = summariseRuns([[figure(3, true)], [figure(9, false)], [figure(4, true)]]);
    expect(summary).toMatchObject({ value: 4, ratio: 4, met: false, metInRuns: 2, spread: { min: 3, max: 9 } });
    expect(summary!.runs.map((run) => run.value)).toEqual([3, 9, 4]);
  });

  it('name the worst run by what the bar judges: the highest cost, the lowest ratio, a miss before a pass', () => {
    const [latency] = summariseRuns([[figure(3, true)], [figure(9, false)], [figure(4, true)]]);
    expect(latency!.worst).toEqual({ value: 9, ratio: 9, met: false, anchor: 1 });
    const rate = (value: number, anchor: number, met: boolean): Figure => ({
      name: 'ingest', value, unit: '/s', anchor: { what: 'bare', value: anchor, unit: '/s' }, ratio: value / anchor, bar: 'ratio ≥ 0.5', met,
    });
    // The lowest value is not the worst run here: its anchor was low too.
    const [ingest] = summariseRuns([[rate(100, 150, true)], [rate(300, 1000, false)], [rate(400, 500, true)]]);
    expect(ingest!.worst).toMatchObject({ value: 300, met: false });
    expect(ingest!.judged).toEqual({ on: 'ratio', better: 'higher' });
    const [allMet] = summariseRuns([[rate(100, 150, true)], [rate(400, 500, true)]]);
    expect(allMet!.worst).toMatchObject({ value: 100 });
    expect(renderTable([ingest!])).toContain('| 0.300× ');
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
