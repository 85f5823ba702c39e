/**
 * `npm run bench [-- --quick] [-- --only ingest,latency] [-- --runs 3]`: runs each figure next to
 * its anchor, in `--runs` rounds (default 3), prints one table of medians and spreads and writes
 * the same to bench/results/latest.json. A figure is met only when its worst run met the bar.
 * Figures run one after another, never side by side, so they do not disturb each other; rounds
 * go through every figure before repeating one, so a noisy minute spoils one run of each at most.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fanoutFigure } from './figures/fanout.js';
import { idleClientsFigure } from './figures/idleClients.js';
import { ingestFigure } from './figures/ingest.js';
import { latencyFigure } from './figures/latency.js';
import { pollerFigure } from './figures/poller.js';
import { postgresFigure } from './figures/postgres.js';
import { resumeFigure } from './figures/resume.js';
import { watchIdleFigure } from './figures/watchIdle.js';
import { watchTrayIdleFigure } from './figures/watchTrayIdle.js';
import type { Figure, FigureModule } from './lib/figure.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { RESULTS_DIR } from './lib/paths.js';
import { stopAll } from './lib/processes.js';
import { summariseRuns } from './lib/repeat.js';
import { renderTable } from './lib/table.js';

const FIGURES: Record<string, FigureModule> = {
  ingest: ingestFigure,
  latency: latencyFigure,
  fanout: fanoutFigure,
  idle: idleClientsFigure,
  resume: resumeFigure,
  watch: watchIdleFigure,
  'watch-tray': watchTrayIdleFigure,
  poller: pollerFigure,
  postgres: postgresFigure,
};

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, runs: { type: 'string', default: '3' } },
  strict: true,
});
const quick = values.quick ?? false;
const rounds = Number(values.runs);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--runs takes a whole number of at least 1 (got '${values.runs}')`);
const chosen = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(FIGURES);
const unknown = chosen.filter((name) => !(name in FIGURES));
if (unknown.length > 0) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${Object.keys(FIGURES).join(', ')}`);

// Whatever happens, no process of ours outlives the run.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

const machine = describeMachine();
const started = Date.now();
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
log(`${quick ? 'quick' : 'full'} run on ${machineLine(machine)}`);

const runs: Figure[][] = [];
let failed = false;
try {
  for (let round = 1; round <= rounds; round += 1) {
    const figuresOfRun: Figure[] = [];
    for (const name of chosen) {
      log(`${name}: starting (run ${round} of ${rounds})`);
      try {
        figuresOfRun.push(...(await FIGURES[name]!({ quick, log })));
      } catch (error) {
        failed = true;
        log(`${name}: FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      } finally {
        await stopAll();
      }
    }
    runs.push(figuresOfRun);
  }
} finally {
  await stopAll();
}
const figures = summariseRuns(runs);

const result = { machine, date: new Date().toISOString(), quick, runs: rounds, durationSec: Math.round((Date.now() - started) / 1000), figures };
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`\nbuildbell benchmarks, ${quick ? 'quick' : 'full'} run, median of ${rounds} run(s), ${result.date}\n${machineLine(machine)}\n\n${renderTable(figures)}\n`);
process.stdout.write(`\n${figures.filter((f) => !f.met).length} of ${figures.length} bars missed in their worst run; took ${result.durationSec} s; written to bench/results/latest.json\n`);
process.exitCode = failed ? 1 : 0;
