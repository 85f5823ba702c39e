/** The results table, as printed at the end of a run: one row per figure, bars missed marked. */
import { judgedOf, type Figure } from './figure.js';
import type { RepeatedFigure } from './repeat.js';

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(value);
}

/** The worst run by what its bar judges: the value, or the ratio for a ratio bar. */
function describeWorst(figure: RepeatedFigure): string {
  const { worst } = figure;
  if (judgedOf(figure).on === 'ratio') return worst.ratio === null ? '-' : `${worst.ratio.toFixed(3)}×`;
  return `${formatNumber(worst.value)} ${figure.unit}`;
}

/** One row per figure: the median (and, over several runs, the spread), and whether every run met the bar. */
export function renderTable(figures: ReadonlyArray<Figure | RepeatedFigure>): string {
  const header = ['figure', 'value (median)', 'spread', 'worst run', 'anchor (same run)', 'ratio', 'bar', 'met in every run'];
  const rows = figures.map((figure) => {
    const repeated = 'runs' in figure ? figure : undefined;
    return [
      figure.name,
      `${formatNumber(figure.value)} ${figure.unit}`,
      repeated && repeated.totalRuns > 1 ? `${formatNumber(repeated.spread.min)}–${formatNumber(repeated.spread.max)}` : '-',
      repeated ? describeWorst(repeated) : '-',
      `${formatNumber(figure.anchor.value)} ${figure.anchor.unit} (${figure.anchor.what})`,
      figure.ratio === null ? '-' : figure.ratio.toFixed(3),
      figure.bar,
      `${figure.met ? 'yes' : 'MISSED'}${repeated ? ` (${repeated.metInRuns}/${repeated.totalRuns})` : ''}`,
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const notes = figures.filter((figure) => figure.note).map((figure) => `  - ${figure.name}: ${figure.note}`);
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', 'notes:', ...notes].join('\n');
}
