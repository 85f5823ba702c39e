/** One row of the results table and of bench/results/latest.json. */
export interface Figure {
  /** What is measured, e.g. "ingest: signed Cirrus deliveries/s". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What the figure is measured next to, in the same run, and its value. */
  readonly anchor: { readonly what: string; readonly value: number; readonly unit: string };
  /** value ÷ anchor value when both are in the same unit; null when that means nothing. */
  readonly ratio: number | null;
  /** The bar from issue #6, in words, e.g. "ratio ≥ 0.25". */
  readonly bar: string;
  readonly met: boolean;
  /** Anything a reader needs to trust the number (samples, errors, lost frames). */
  readonly note?: string;
  /**
   * What the bar judges and which way is better, to name a figure's worst run. Default, read
   * from the bar: `ratio` when it starts with "ratio", else `value`; `higher` when it says ≥,
   * else `lower` (≤ and = bars here are costs: milliseconds, bytes, frames lost, requests).
   */
  readonly judged?: Judged;
}

export interface Judged {
  readonly on: 'value' | 'ratio';
  readonly better: 'higher' | 'lower';
}

export function judgedOf(figure: Pick<Figure, 'bar' | 'judged'>): Judged {
  return figure.judged ?? { on: figure.bar.trim().startsWith('ratio') ? 'ratio' : 'value', better: figure.bar.includes('≥') ? 'higher' : 'lower' };
}

export interface RunContext {
  /** `--quick`: every figure at a smaller size, the whole run under 3 minutes. */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export type FigureModule = (context: RunContext) => Promise<Figure[]>;

export function ratioOf(value: number, anchor: number): number | null {
  return anchor > 0 && Number.isFinite(value) ? value / anchor : null;
}
