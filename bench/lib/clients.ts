/** Spreads N WebSocket clients over several processes on the load core and merges what they saw. */
import { workerScript } from './paths.js';
import { LOAD_CORE, startNode, type Started } from './processes.js';

export interface ClientReport {
  kind: 'report';
  clients: number;
  frames: number;
  frameBytes: number;
  closedEarly: number;
  closeCodes: Record<string, number>;
  firstArrivalNs: string;
  lastArrivalNs: string;
  samples: number[];
  perDelivery: [number, [number, number]][];
}

export interface MergedReport {
  clients: number;
  frames: number;
  frameBytes: number;
  closedEarly: number;
  closeCodes: Record<string, number>;
  firstArrivalNs: bigint;
  lastArrivalNs: bigint;
  samples: number[];
  /** Per delivery id: frames received across all clients, and the latency to the last of them (ms). */
  perDelivery: Map<number, { received: number; lastMs: number }>;
}

const is = <T>(kind: string) => (message: unknown): message is T => (message as { kind?: unknown }).kind === kind;

export class ClientFleet {
  private constructor(private readonly workers: Started[]) {}

  /** Connects `total` clients over `processes` processes; resolves when all are connected (and live). */
  static async start(options: { url: string; token?: string; total: number; processes: number; waitFor: 'live' | 'open' }): Promise<ClientFleet> {
    const workers: Started[] = [];
    for (let i = 0; i < options.processes; i += 1) {
      const count = Math.floor(options.total / options.processes) + (i < options.total % options.processes ? 1 : 0);
      workers.push(startNode(workerScript('streamClients'), [JSON.stringify({ url: options.url, token: options.token, count, waitFor: options.waitFor })], { core: LOAD_CORE }));
    }
    const fleet = new ClientFleet(workers);
    try {
      await Promise.all(workers.map((worker) => worker.waitForMessage(is<{ kind: 'ready' }>('ready'), 300_000)));
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  async reset(): Promise<void> {
    for (const worker of this.workers) worker.send({ cmd: 'reset' });
    await Promise.all(this.workers.map((worker) => worker.waitForMessage(is('reset-done'))));
  }

  async report(): Promise<MergedReport> {
    for (const worker of this.workers) worker.send({ cmd: 'report' });
    const reports = await Promise.all(this.workers.map((worker) => worker.waitForMessage(is<ClientReport>('report'))));
    const merged: MergedReport = {
      clients: 0, frames: 0, frameBytes: 0, closedEarly: 0, closeCodes: {},
      firstArrivalNs: 0n, lastArrivalNs: 0n, samples: [], perDelivery: new Map(),
    };
    for (const report of reports) {
      merged.clients += report.clients;
      merged.frames += report.frames;
      merged.frameBytes = Math.max(merged.frameBytes, report.frameBytes);
      merged.closedEarly += report.closedEarly;
      for (const [code, count] of Object.entries(report.closeCodes)) merged.closeCodes[code] = (merged.closeCodes[code] ?? 0) + count;
      const first = BigInt(report.firstArrivalNs);
      const last = BigInt(report.lastArrivalNs);
      if (first !== 0n && (merged.firstArrivalNs === 0n || first < merged.firstArrivalNs)) merged.firstArrivalNs = first;
      if (last > merged.lastArrivalNs) merged.lastArrivalNs = last;
      for (const sample of report.samples) merged.samples.push(sample);
      for (const [id, [received, lastMs]] of report.perDelivery) {
        const seen = merged.perDelivery.get(id);
        if (seen) {
          seen.received += received;
          seen.lastMs = Math.max(seen.lastMs, lastMs);
        } else merged.perDelivery.set(id, { received, lastMs });
      }
    }
    return merged;
  }

  /** Waits until no client has received a frame for `quietMs` (the tail of a burst has landed). */
  async settle(quietMs = 1000, timeoutMs = 60_000): Promise<MergedReport> {
    const deadline = Date.now() + timeoutMs;
    let previous = -1;
    for (;;) {
      const report = await this.report();
      if (report.frames === previous || Date.now() > deadline) return report;
      previous = report.frames;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.send({ cmd: 'close' });
    await Promise.all(this.workers.map((worker) => worker.stop(2000)));
  }
}
