/**
 * The app's memory, all its processes together, for the desktop workflow (issue #16). When
 * `BUILDBELL_MEMORY_REPORT` names a file, the app waits (`BUILDBELL_MEMORY_REPORT_AFTER` seconds,
 * default 60), reads every one of its processes from Electron (`app.getAppMetrics()`: the main
 * process, the GPU and network-service processes, a zygote, renderers), writes each one's memory
 * and the total there as JSON, and quits. Without the variable nothing here runs.
 *
 * Measured from inside because Electron itself knows which processes are the app's, the same way
 * on Linux, macOS and Windows; a walk of the process tree from outside needs three
 * implementations (/proc, ps, CIM) and its own rules for helpers that are not plain children.
 * The figure is each process's working set (resident memory) summed: pages shared between
 * processes count once per process, so the total errs high, never low.
 */
import { writeFile } from 'node:fs/promises';
import type { Logger } from '../core/ports.js';
import { app } from './electron.js';

export const MEMORY_REPORT_FILE_ENV = 'BUILDBELL_MEMORY_REPORT';
export const MEMORY_REPORT_AFTER_ENV = 'BUILDBELL_MEMORY_REPORT_AFTER';
/** The wait: long enough for start-up to settle and the demo's first failures to notify. */
const DEFAULT_AFTER_SECONDS = 60;

/** What the report reads of Electron's `ProcessMetric` (memory in kilobytes). */
export interface AppProcessMetric {
  readonly pid: number;
  readonly type: string;
  readonly name?: string;
  readonly memory: { readonly workingSetSize: number; readonly peakWorkingSetSize: number; readonly privateBytes?: number };
}

export interface MemoryReportRequest {
  /** Where the JSON goes. */
  readonly file: string;
  readonly afterMs: number;
}

export interface ProcessMemory {
  readonly pid: number;
  /** Electron's type: `Browser` (the main process), `GPU`, `Utility`, `Zygote`, `Tab`, … */
  readonly type: string;
  /** `Network Service` and the like; null when Electron names none. */
  readonly name: string | null;
  readonly workingSetMiB: number;
  readonly peakWorkingSetMiB: number;
  /** Memory no other process shares (Windows only); null elsewhere. */
  readonly privateMiB: number | null;
}

export interface MemoryReport {
  readonly measuredAt: string;
  readonly afterSeconds: number;
  readonly platform: NodeJS.Platform;
  readonly processes: readonly ProcessMemory[];
  /** The working sets summed: the app's memory, all its processes together. */
  readonly totalMiB: number;
}

/** The report asked for by the environment, or null. A bad wait is a TypeError naming the variable. */
export function memoryReportRequest(env: Readonly<Record<string, string | undefined>>): MemoryReportRequest | null {
  const file = env[MEMORY_REPORT_FILE_ENV];
  if (file === undefined || file === '') return null;
  const after = env[MEMORY_REPORT_AFTER_ENV];
  if (after !== undefined && !/^\d{1,5}$/.test(after)) {
    throw new TypeError(`${MEMORY_REPORT_AFTER_ENV} is the wait in whole seconds before measuring (default ${DEFAULT_AFTER_SECONDS}), got '${after}'`);
  }
  return { file, afterMs: (after === undefined ? DEFAULT_AFTER_SECONDS : Number(after)) * 1000 };
}

/** Electron's metrics (kilobytes) as the report's processes and total (MiB). */
export function memoryReportOf(metrics: readonly AppProcessMetric[], context: { readonly afterMs: number; readonly platform: NodeJS.Platform; readonly now: number }): MemoryReport {
  const processes = metrics.map((metric) => ({
    pid: metric.pid,
    type: metric.type,
    name: metric.name ?? null,
    workingSetMiB: mib(metric.memory.workingSetSize),
    peakWorkingSetMiB: mib(metric.memory.peakWorkingSetSize),
    privateMiB: metric.memory.privateBytes === undefined ? null : mib(metric.memory.privateBytes),
  }));
  const totalKiB = metrics.reduce((sum, metric) => sum + metric.memory.workingSetSize, 0);
  return { measuredAt: new Date(context.now).toISOString(), afterSeconds: context.afterMs / 1000, platform: context.platform, processes, totalMiB: mib(totalKiB) };
}

/** After the wait, writes the report and quits the app; a failure to write is logged and quits all the same. */
export function scheduleMemoryReport(request: MemoryReportRequest, options: { readonly logger: Logger; readonly platform: NodeJS.Platform; readonly clock: () => number }): void {
  options.logger.info('memory report asked for', { file: request.file, afterSeconds: request.afterMs / 1000 });
  setTimeout(() => {
    const report = memoryReportOf(app.getAppMetrics(), { afterMs: request.afterMs, platform: options.platform, now: options.clock() });
    void writeFile(request.file, `${JSON.stringify(report, null, 2)}\n`)
      .then(() => options.logger.info('memory report written', { file: request.file, totalMiB: report.totalMiB, processes: report.processes.length }))
      .catch((error: Error) => options.logger.error('could not write the memory report', { file: request.file, error: error.message }))
      .finally(() => app.quit());
  }, request.afterMs);
}

/** Kilobytes to MiB, to a tenth. */
function mib(kilobytes: number): number {
  return Math.round((kilobytes / 1024) * 10) / 10;
}
