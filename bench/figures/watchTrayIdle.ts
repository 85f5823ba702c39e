/**
 * `buildbell watch --tray` idle (issue 18): the same relay-connected watch as the `watch` figure,
 * plus its StatusNotifierItem registered with a real `status-notifier-watcher` on a private
 * session bus, sampled beside `watch` without a tray (same bus, so the same notifier) and a bare
 * `node -e`, all three at the same moment. What the tray costs: the D-Bus connection, the decoded
 * icons (35 KiB) and the menu. No display is needed: the watcher is only a registry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { BUILDBELL_BIN, workerScript } from '../lib/paths.js';
import { rssBytes } from '../lib/procfs.js';
import { LOAD_CORE, startNode, type Started } from '../lib/processes.js';
import { createRelayDatabase, startRelay } from '../lib/relay.js';
import { round, sleep } from '../lib/stats.js';
import { sample } from './watchIdle.js';

const MIB = 1024 * 1024;
/** The tray may cost this much memory over watch without one. */
const TRAY_BUDGET_MIB = 10;

/** Starts a program that is not node (the bus, the watcher), to be stopped by its pid. */
function startProgram(file: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; firstLine: Promise<string>; stop(): Promise<void> } {
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstLine = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')).trim());
    });
    child.once('error', (error) => reject(new Error(`${file} could not start: ${error.message} (Debian: dbus-daemon, haskell-status-notifier-item-utils)`)));
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    firstLine,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** RSS after two full collections (the bench-only SIGUSR2 preload): the idle sampling's maximum wanders by a few MiB. */
async function rssAfterGc(started: Started): Promise<number> {
  const done = () => started.stderr().split('[bench-gc] done').length - 1;
  const before = done();
  process.kill(started.pid, 'SIGUSR2');
  for (let waited = 0; done() === before; waited += 50) {
    if (waited > 10_000) throw new Error('no [bench-gc] done within 10 s');
    await sleep(50);
  }
  return rssBytes(started.pid);
}

export const watchTrayIdleFigure: FigureModule = async ({ quick, log }) => {
  const seconds = quick ? 15 : 60;
  const database = createRelayDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'buildbell-bench-tray-'));
  const base: NodeJS.ProcessEnv = { ...process.env, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, XDG_RUNTIME_DIR: dir };
  const bus = startProgram('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=unix:path=${path.join(dir, 'bus')}`, '--print-address=1'], base);
  let watcher: ReturnType<typeof startProgram> | undefined;
  const relay = await startRelay(database.file);
  try {
    const busAddress = await bus.firstLine;
    const env = { ...base, DBUS_SESSION_BUS_ADDRESS: busAddress };
    watcher = startProgram('status-notifier-watcher', [], env);
    watcher.firstLine.catch(() => undefined);
    await sleep(1000);
    if (watcher.child.exitCode !== null) throw new Error('status-notifier-watcher exited at start');
    const watchArgs = (config: string) => ['watch', '--relay', relay.wsUrl, '--token', database.issueToken(config)];
    const nodeFlags = ['--expose-gc', '--import', workerScript('gcPreload')];
    const withTray = startNode(BUILDBELL_BIN, [...watchArgs('tray'), '--tray'], { core: LOAD_CORE, nodeFlags, env: { ...env, XDG_CONFIG_HOME: path.join(dir, 'tray') } });
    const plain = startNode(BUILDBELL_BIN, watchArgs('plain'), { core: LOAD_CORE, nodeFlags, env: { ...env, XDG_CONFIG_HOME: path.join(dir, 'plain') } });
    const anchor = startNode('-e', ['setInterval(() => {}, 1 << 30)'], { core: LOAD_CORE });
    await withTray.waitForOutput(/tray icon registered with the panel/);
    await plain.waitForOutput(/buildbell watch: /);
    await sleep(quick ? 3000 : 5000);
    const connected = await relay.clientsConnected();
    if (connected !== 2) throw new Error(`both watches should be connected to the relay (clients: ${connected}); stderr: ${withTray.stderr()} ${plain.stderr()}`);
    const [tray, watching, bare] = await sample([withTray, plain, anchor], seconds);
    const [trayAfterGc, plainAfterGc] = [await rssAfterGc(withTray), await rssAfterGc(plain)];
    log(
      `watch --tray idle: ${round(tray!.maxRss / MIB, 1)} MiB, ${round(tray!.cpuPercent, 3)} % CPU; watch: ${round(watching!.maxRss / MIB, 1)} MiB; ` +
        `node -e: ${round(bare!.maxRss / MIB, 1)} MiB; after a full GC: ${round(trayAfterGc / MIB, 1)} and ${round(plainAfterGc / MIB, 1)} MiB`,
    );
    await Promise.all([withTray.stop(), plain.stop(), anchor.stop()]);
    const extraMib = (trayAfterGc - plainAfterGc) / MIB;
    const bareRatio = ratioOf(tray!.maxRss, bare!.maxRss);
    const note = `${seconds} s window after warm-up, registered with status-notifier-watcher on a private bus; notifier: ${/notifications through ([^\n]*)/.exec(withTray.stderr())?.[1] ?? 'unknown'}`;
    return [
      {
        name: `buildbell watch --tray idle, ${seconds} s: RSS after a full GC beside watch without a tray`,
        value: round(trayAfterGc / MIB, 1),
        unit: 'MiB',
        anchor: { what: 'watch without a tray, same bus and relay, after a full GC', value: round(plainAfterGc / MIB, 1), unit: 'MiB' },
        ratio: ratioOf(trayAfterGc, plainAfterGc) === null ? null : round(ratioOf(trayAfterGc, plainAfterGc)!, 2),
        bar: `≤ +${TRAY_BUDGET_MIB} MiB`,
        // The bar is on the difference from the anchor: the worst run is the one with the largest ratio.
        judged: { on: 'ratio', better: 'lower' },
        met: extraMib <= TRAY_BUDGET_MIB,
        note: `${note}; the tray's share: ${round(extraMib, 1)} MiB; largest idle samples: ${round(tray!.maxRss / MIB, 1)} and ${round(watching!.maxRss / MIB, 1)} MiB`,
      },
      {
        name: `buildbell watch --tray idle, ${seconds} s: RSS beside bare node`,
        value: round(tray!.maxRss / MIB, 1),
        unit: 'MiB',
        anchor: { what: 'bare node -e kept alive', value: round(bare!.maxRss / MIB, 1), unit: 'MiB' },
        ratio: bareRatio === null ? null : round(bareRatio, 2),
        bar: 'ratio ≤ 1.5 (watch\'s own bar)',
        met: bareRatio !== null && bareRatio <= 1.5,
      },
      {
        name: `buildbell watch --tray idle, ${seconds} s: CPU`,
        value: round(tray!.cpuPercent, 3),
        unit: '% of a core',
        anchor: { what: 'watch without a tray', value: round(watching!.cpuPercent, 3), unit: '% of a core' },
        ratio: null,
        bar: '≤ 0.5 %',
        met: tray!.cpuPercent <= 0.5,
        note: 'the tray redraws once a minute, and on each event',
      },
    ];
  } finally {
    await watcher?.stop();
    await bus.stop();
    await relay.stop();
    database.remove();
    rmSync(dir, { recursive: true, force: true });
  }
};
