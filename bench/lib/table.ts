/** The results table, as printed at the end of a run: one row per figure, bars missed marked. */
import type { Figure } from './figure.js';

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(value);
}

export function renderTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'anchor (same run)', 'ratio', 'bar', 'met'];
  const rows = figures.map((figure) => [
    figure.name,
    `${formatNumber(figure.value)} ${figure.unit}`,
    `${formatNumber(figure.anchor.value)} ${figure.anchor.unit} (${figure.anchor.what})`,
    figure.ratio === null ? '-' : figure.ratio.toFixed(3),
    figure.bar,
    figure.met ? 'yes' : 'MISSED',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const notes = figures.filter((figure) => figure.note).map((figure) => `  - ${figure.name}: ${figure.note}`);
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', 'notes:', ...notes].join('\n');
}
