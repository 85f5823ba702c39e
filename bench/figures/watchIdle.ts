/**
 * buildbell watch idle: `node bin/buildbell.js watch --relay ... --token ...` connected to a quiet
 * relay, with its own XDG_CONFIG_HOME and no D-Bus or display (so it uses the terminal-only
 * notifier, as on a headless server). Sampled from /proc next to an anchor started at the same
 * moment, a bare `node -e` kept alive by one timer: after a warm-up, CPU = Δ(utime + stime) ÷ wall
 * time over the window, RSS = the largest of one sample per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { BUILDBELL_BIN } from '../lib/paths.js';
import { cpuSeconds, rssBytes } from '../lib/procfs.js';
import { LOAD_CORE, startNode, type Started } from '../lib/processes.js';
import { createRelayDatabase, startRelay } from '../lib/relay.js';
import { round, sleep } from '../lib/stats.js';

const MIB = 1024 * 1024;

export interface Usage { readonly cpuPercent: number; readonly maxRss: number }

/** CPU % and the largest RSS of each process over `seconds`, one RSS sample a second. */
export async function sample(processes: readonly Started[], seconds: number): Promise<Usage[]> {
  const cpuStart = processes.map((p) => cpuSeconds(p.pid));
  const maxRss = processes.map(() => 0);
  const started = process.hrtime.bigint();
  for (let second = 0; second < seconds; second += 1) {
    await sleep(1000);
    processes.forEach((p, i) => (maxRss[i] = Math.max(maxRss[i]!, rssBytes(p.pid))));
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  return processes.map((p, i) => ({ cpuPercent: ((cpuSeconds(p.pid) - cpuStart[i]!) / wall) * 100, maxRss: maxRss[i]! }));
}

export const watchIdleFigure: FigureModule = async ({ quick, log }) => {
  const seconds = quick ? 15 : 60;
  const database = createRelayDatabase();
  const config = mkdtempSync(path.join(tmpdir(), 'buildbell-bench-watch-'));
  const relay = await startRelay(database.file);
  try {
    const env = {
      XDG_CONFIG_HOME: config,
      DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined,
    };
    const watch = startNode(BUILDBELL_BIN, ['watch', '--relay', relay.wsUrl, '--token', database.issueToken('watch')], { core: LOAD_CORE, env });
    const anchor = startNode('-e', ['setInterval(() => {}, 1 << 30)'], { core: LOAD_CORE });
    await watch.waitForOutput(/buildbell watch: /);
    // Start-up (imports, the first render, the connection) is not idling.
    await sleep(quick ? 3000 : 5000);
    const connected = await relay.clientsConnected();
    if (connected !== 1) throw new Error(`watch is not connected to the relay (clients: ${connected}); stderr: ${watch.stderr()}`);
    const [watching, bare] = await sample([watch, anchor], seconds);
    log(`watch idle: ${round(watching!.maxRss / MIB, 1)} MiB, ${round(watching!.cpuPercent, 3)} % CPU; node -e: ${round(bare!.maxRss / MIB, 1)} MiB, ${round(bare!.cpuPercent, 3)} %`);
    await Promise.all([watch.stop(), anchor.stop()]);
    const rssRatio = ratioOf(watching!.maxRss, bare!.maxRss);
    const note = `${seconds} s window after warm-up; notifier: ${/notifications through ([^\n]*)/.exec(watch.stderr())?.[1] ?? 'unknown'}`;
    return [
      {
        name: `buildbell watch idle, connected to a relay, ${seconds} s: RSS`,
        value: round(watching!.maxRss / MIB, 1),
        unit: 'MiB',
        anchor: { what: 'bare node -e kept alive', value: round(bare!.maxRss / MIB, 1), unit: 'MiB' },
        ratio: rssRatio === null ? null : round(rssRatio, 2),
        bar: 'ratio ≤ 1.5',
        met: rssRatio !== null && rssRatio <= 1.5,
        note,
      },
      {
        name: `buildbell watch idle, connected to a relay, ${seconds} s: CPU`,
        value: round(watching!.cpuPercent, 3),
        unit: '% of a core',
        anchor: { what: 'bare node -e kept alive', value: round(bare!.cpuPercent, 3), unit: '% of a core' },
        ratio: null,
        bar: '≤ 0.5 %',
        met: watching!.cpuPercent <= 0.5,
        note: `CPU from /proc/<pid>/stat in 10 ms ticks: ${seconds} s resolves 1 tick = ${round(100 / (seconds * 100), 3)} %`,
      },
    ];
  } finally {
    await relay.stop();
    database.remove();
    rmSync(config, { recursive: true, force: true });
  }
};
