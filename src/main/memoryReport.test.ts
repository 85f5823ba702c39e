import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/ports.js';
import { fake, resetFakeElectron } from '../../test/support/fakeElectron.js';
import { memoryReportOf, memoryReportRequest, scheduleMemoryReport, type MemoryReport } from './memoryReport.js';

vi.mock('./electron.js', async () => (await import('../../test/support/fakeElectron.js')).fakeElectronModule());

const CHECK = path.resolve('.ci/checkDesktopMemory.mjs');
const metric = (pid: number, type: string, workingSetSize: number, extra: { name?: string; privateBytes?: number } = {}) => ({
  pid, type, creationTime: 0, cpu: { percentCPUUsage: 0, idleWakeupsPerSecond: 0 }, ...(extra.name ? { name: extra.name } : {}),
  memory: { workingSetSize, peakWorkingSetSize: workingSetSize + 1024, ...(extra.privateBytes === undefined ? {} : { privateBytes: extra.privateBytes }) },
});

let folder: string;
beforeEach(async () => {
  resetFakeElectron();
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-memory-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(folder, { recursive: true, force: true });
});

describe('the memory report asked for by the environment', () => {
  it('is off unless BUILDBELL_MEMORY_REPORT names a file; waits 60 s unless told otherwise', () => {
    expect(memoryReportRequest({})).toBeNull();
    expect(memoryReportRequest({ BUILDBELL_MEMORY_REPORT: '' })).toBeNull();
    expect(memoryReportRequest({ BUILDBELL_MEMORY_REPORT: '/tmp/m.json' })).toEqual({ file: '/tmp/m.json', afterMs: 60_000 });
    expect(memoryReportRequest({ BUILDBELL_MEMORY_REPORT: '/tmp/m.json', BUILDBELL_MEMORY_REPORT_AFTER: '5' })).toEqual({ file: '/tmp/m.json', afterMs: 5_000 });
    expect(() => memoryReportRequest({ BUILDBELL_MEMORY_REPORT: '/tmp/m.json', BUILDBELL_MEMORY_REPORT_AFTER: '1m' })).toThrow(/BUILDBELL_MEMORY_REPORT_AFTER is the wait in whole seconds/);
  });

  it('sums every process Electron reports, kilobytes to MiB, with Windows’ private bytes where given', () => {
    const report = memoryReportOf([metric(10, 'Browser', 80 * 1024), metric(11, 'GPU', 30 * 1024), metric(12, 'Utility', 20 * 1024 + 512, { name: 'Network Service', privateBytes: 10 * 1024 })], { afterMs: 60_000, platform: 'linux', now: Date.UTC(2026, 11, 1) });
    expect(report).toEqual({
      measuredAt: '2026-12-01T00:00:00.000Z', afterSeconds: 60, platform: 'linux', totalMiB: 130.5,
      processes: [
        { pid: 10, type: 'Browser', name: null, workingSetMiB: 80, peakWorkingSetMiB: 81, privateMiB: null },
        { pid: 11, type: 'GPU', name: null, workingSetMiB: 30, peakWorkingSetMiB: 31, privateMiB: null },
        { pid: 12, type: 'Utility', name: 'Network Service', workingSetMiB: 20.5, peakWorkingSetMiB: 21.5, privateMiB: 10 },
      ],
    });
  });

  it('after the wait, and not before, writes every process and the total, then quits the app', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    fake.app.metrics = [metric(10, 'Browser', 90 * 1024), metric(11, 'Zygote', 10 * 1024)];
    const file = path.join(folder, 'memory.json');
    scheduleMemoryReport({ file, afterMs: 60_000 }, { logger: silentLogger, platform: 'linux', clock: () => Date.UTC(2026, 11, 1) });
    vi.advanceTimersByTime(59_999);
    expect(fake.app.quitCalled).toBe(false);
    // The app has grown since the start: the report reads it when the wait is over.
    fake.app.metrics.push(metric(12, 'GPU', 25 * 1024));
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(fake.app.quitCalled).toBe(true));
    const report = JSON.parse(await readFile(file, 'utf8')) as MemoryReport;
    expect(report.processes.map((process) => process.type)).toEqual(['Browser', 'Zygote', 'GPU']);
    expect(report.totalMiB).toBe(125);
  });

  it('quits all the same when the report cannot be written', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    scheduleMemoryReport({ file: path.join(folder, 'no', 'such', 'folder.json'), afterMs: 1 }, { logger: silentLogger, platform: 'linux', clock: Date.now });
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(fake.app.quitCalled).toBe(true));
  });
});

describe('the workflow’s check of the report (.ci/checkDesktopMemory.mjs)', () => {
  const check = async (report: MemoryReport | null, limit = '150') => {
    const file = path.join(folder, 'report.json');
    if (report) await writeFile(file, JSON.stringify(report));
    const run = spawnSync(process.execPath, [CHECK, file, limit], { encoding: 'utf8' });
    return { status: run.status, out: run.stdout, err: run.stderr };
  };
  const report = (totalMiB: number): MemoryReport => memoryReportOf([metric(10, 'Browser', totalMiB * 1024 - 10 * 1024), metric(11, 'GPU', 10 * 1024)], { afterMs: 60_000, platform: 'darwin', now: 0 });

  it('passes at or below the limit, listing every process', async () => {
    const result = await check(report(150));
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/pid 10 {2}Browser/);
    expect(result.out).toContain('buildbell used 150.0 MiB in 2 processes after 60 s on darwin: within the 150 MiB limit');
  });

  it('fails above it, naming the figure', async () => {
    const result = await check(report(162.3));
    expect(result.status).toBe(1);
    expect(result.err).toContain('buildbell used 162.3 MiB in 2 processes after 60 s on darwin: above the 150 MiB limit');
  });

  it('fails when the app wrote no report', async () => {
    const result = await check(null);
    expect(result.status).toBe(1);
    expect(result.err).toMatch(/No memory report to judge at .*report\.json: the app did not write one/);
  });
});
