/**
 * A real relay for a figure: a fresh SQLite file in a temporary folder on the ordinary disk
 * (what an operator has; the relay commits with synchronous=FULL, so the disk is part of the
 * figure), a channel and tokens made with `buildbell admin` as an operator would, and
 * `node bin/buildbell.js relay` on the server core.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILDBELL_BIN, workerScript } from './paths.js';
import { SERVER_CORE, startNode, type Started } from './processes.js';

export const CHANNEL = 'bench';
export const CHANNEL_SECRET = 'bench-channel-secret';

export interface RelayDatabaseFolder {
  readonly dir: string;
  readonly file: string;
  /** Issues a token with `buildbell admin token add` and returns it (the last line printed). */
  issueToken(label?: string): string;
  remove(): void;
}

export function createRelayDatabase(): RelayDatabaseFolder {
  const dir = mkdtempSync(path.join(tmpdir(), 'buildbell-bench-'));
  const file = path.join(dir, 'relay.db');
  admin(['channel', 'add', CHANNEL, '--secret', CHANNEL_SECRET, '--db', file]);
  return {
    dir,
    file,
    issueToken(label = 'bench') {
      const out = admin(['token', 'add', '--channel', CHANNEL, '--label', label, '--db', file]).trim().split('\n');
      return out[out.length - 1]!.trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function admin(args: string[]): string {
  return execFileSync(process.execPath, [BUILDBELL_BIN, 'admin', ...args], { encoding: 'utf8' });
}

export interface RunningRelay extends Started {
  readonly url: string;
  readonly wsUrl: string;
  /** Stream clients connected now, as the relay's /metrics reports them. */
  clientsConnected(): Promise<number>;
}

/** The bench relays serve /metrics with this token. */
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

export interface RelayRunOptions {
  /**
   * Run with `--expose-gc` and the bench-only preload that collects garbage on SIGUSR2
   * (workers/gcPreload.ts), so memory is read after a full GC without any production endpoint.
   */
  readonly gcOnSignal?: boolean;
}

/**
 * Starts `buildbell relay --port 0 --rate-limits off` on the server core; resolves once it
 * listens. The relay's per-address and per-channel rate limits are off, and one token may hold
 * every stream: every load here comes from one address and one token, and a 429 would measure
 * the limiter, not the work.
 */
export async function startRelay(database: string, options: RelayRunOptions = {}): Promise<RunningRelay> {
  const nodeFlags = options.gcOnSignal ? ['--expose-gc', '--import', workerScript('gcPreload')] : [];
  // BUILDBELL_BENCH_PROFILE=<dir>: every relay writes a V8 CPU profile there when it stops
  // (open it in Chrome DevTools), to see where a missed bar's time goes.
  const profileDir = process.env['BUILDBELL_BENCH_PROFILE'];
  if (profileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  const relay = startNode(BUILDBELL_BIN, ['relay', '--db', database, '--port', '0', '--rate-limits', 'off', '--max-streams-per-token', '100000', '--max-bodies-per-address', '100000', '--metrics-token', METRICS_TOKEN], { core: SERVER_CORE, nodeFlags });
  const [, url] = await relay.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const clientsConnected = async () => {
    const text = await (await fetch(`${url!}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    // Labelled by instance since the relay's metrics went through prom-client.
    return Number(/^buildbell_clients_connected(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  };
  return { ...relay, url: url!, wsUrl: url!.replace(/^http/, 'ws'), clientsConnected };
}
