/**
 * Figures that survive noise: each figure is measured in several runs, reported as the median with
 * the spread, and counted as met only when its worst run meets the bar. A figure that meets its
 * bar in a quiet moment and misses it under load is a miss.
 */
import { judgedOf, type Figure } from './figure.js';

type Run = Pick<Figure, 'value' | 'ratio' | 'met'> & { readonly anchor: number };

/** One figure over its runs, as the table and bench/results/latest.json show it. */
export interface RepeatedFigure extends Figure {
  /** `value` and `ratio` are the medians of the runs; `met` is true only when every run met the bar. */
  readonly runs: readonly Run[];
  readonly spread: { readonly min: number; readonly max: number };
  /**
   * The run that did worst by what the bar judges (its value or its ratio, see Figure.judged): a
   * run that missed the bar before any that met it. The one that decides `met`.
   */
  readonly worst: Run;
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
    const perRun = present.map((figure): Run => ({ value: figure.value, ratio: figure.ratio, met: figure.met, anchor: figure.anchor.value }));
    return {
      ...first,
      judged: judgedOf(first),
      value: round(median(values)),
      anchor: { ...first.anchor, value: round(median(present.map((figure) => figure.anchor.value))) },
      ratio: ratios.length === 0 ? null : round(median(ratios)),
      met: metInRuns === runs.length,
      metInRuns,
      totalRuns: runs.length,
      spread: { min: Math.min(...values), max: Math.max(...values) },
      runs: perRun,
      worst: worstRun(perRun, judgedOf(first)),
      note: [first.note, measured.length > present.length ? `${measured.length - present.length} run(s) failed` : undefined].filter(Boolean).join('; ') || undefined,
    };
  });
}

/** The worst of the runs: missed before met, then the lowest (or highest) judged measure. */
export function worstRun(runs: readonly Run[], judged: ReturnType<typeof judgedOf>): Run {
  const measure = (run: Run) => (judged.on === 'ratio' ? run.ratio ?? Number.NaN : run.value);
  // A NaN measure (no ratio) counts as the worst: nothing says it met anything.
  const badness = (run: Run) => {
    const value = measure(run);
    if (Number.isNaN(value)) return Number.POSITIVE_INFINITY;
    return judged.better === 'higher' ? -value : value;
  };
  return [...runs].sort((a, b) => Number(a.met) - Number(b.met) || badness(b) - badness(a))[0]!;
}
