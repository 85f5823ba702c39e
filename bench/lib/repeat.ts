/**
 * Figures that survive noise: each figure is measured in several runs, reported as the median with
 * the spread, and counted as met only when its worst run meets the bar. A figure that meets its
 * bar in a quiet moment and misses it under load is a miss.
 */
import type { Figure } from './figure.js';

/** One figure over its runs, as the table and bench/results/latest.json show it. */
export interface RepeatedFigure extends Figure {
  /** `value` and `ratio` are the medians of the runs; `met` is true only when every run met the bar. */
  readonly runs: ReadonlyArray<Pick<Figure, 'value' | 'ratio' | 'met'> & { readonly anchor: number }>;
  readonly spread: { readonly min: number; readonly max: number };
  readonly metInRuns: number;
  /** How many runs were made, including those in which this figure failed. */
  readonly totalRuns: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Folds the figures of several runs into one per name, in the order of the first run. A name
 * missing from a run (the figure failed there) counts as a run that missed its bar.
 */
export function summariseRuns(runs: ReadonlyArray<readonly Figure[]>): RepeatedFigure[] {
  const names = [...new Set(runs.flatMap((run) => run.map((figure) => figure.name)))];
  return names.map((name) => {
    const measured = runs.map((run) => run.find((figure) => figure.name === name));
    const present = measured.filter((figure): figure is Figure => figure !== undefined);
    const first = present[0]!;
    const values = present.map((figure) => figure.value);
    const ratios = present.map((figure) => figure.ratio).filter((ratio): ratio is number => ratio !== null);
    const metInRuns = present.filter((figure) => figure.met).length;
    const round = (value: number) => Math.round(value * 1000) / 1000;
    return {
      ...first,
      value: round(median(values)),
      anchor: { ...first.anchor, value: round(median(present.map((figure) => figure.anchor.value))) },
      ratio: ratios.length === 0 ? null : round(median(ratios)),
      met: metInRuns === runs.length,
      metInRuns,
      totalRuns: runs.length,
      spread: { min: Math.min(...values), max: Math.max(...values) },
      runs: present.map((figure) => ({ value: figure.value, ratio: figure.ratio, met: figure.met, anchor: figure.anchor.value })),
      note: [first.note, measured.length > present.length ? `${measured.length - present.length} run(s) failed` : undefined].filter(Boolean).join('; ') || undefined,
    };
  });
}
