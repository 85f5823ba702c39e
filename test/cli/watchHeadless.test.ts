/**
 * `buildbell watch` polling on a headless machine: no display, no D-Bus session, so the notifier
 * is the terminal alone and nothing but the poller's timers is left in the event loop. It must run
 * until it is told to stop, whatever the source: the Cirrus and GitHub APIs (the simulators'),
 * the settings file's source, and an API that does not answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSimulator, type GithubSimulator } from '../../src/sim/github/simulator.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { BUILDBELL } from '../support/processes.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
let cirrus: Simulator;
let github: GithubSimulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cirrus = await startSimulator({ seed: 3, speed: 5 });
  github = await startGithubSimulator({ seed: 3, speed: 5 });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cirrus?.stop();
  await github?.stop();
  temp.remove();
});

/** The environment of a server or container: none of the variables a desktop session sets. */
function headlessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].includes(key)) env[key] = value;
  }
  return env;
}

interface Watch {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWatch(name: string, args: string[], settings: object = {}): Watch {
  const settingsFile = path.join(temp.dir, `${name}.json`);
  writeFileSync(settingsFile, JSON.stringify(settings));
  const child = spawn(process.execPath, [BUILDBELL, 'watch', '--settings', settingsFile, ...args], { env: headlessEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, output: () => output, exit };
}

describe('buildbell watch with no display and no D-Bus', () => {
  it('keeps polling for 30 s with every kind of poll source, then stops cleanly on SIGTERM', async () => {
    const watches = [
      startWatch('cirrus', ['--repos', 'acme/web', '--endpoint', cirrus.graphqlUrl!, '--interval', '15s']),
      startWatch('github', ['--provider', 'github', '--github-api', github.apiUrl!, '--repos', 'acme/web', '--interval', '15s']),
      startWatch('settings', ['--endpoint', cirrus.graphqlUrl!], { source: { kind: 'cirrus', repositories: ['acme/web', 'acme/api'] } }),
      // Port 9 (discard) on loopback: nothing listens, every poll fails.
      startWatch('unreachable', ['--repos', 'acme/web', '--endpoint', 'http://127.0.0.1:9/graphql', '--interval', '15s']),
    ];
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    for (const watch of watches) {
      expect({ name: watch.name, exitCode: watch.child.exitCode, signal: watch.child.signalCode }).toEqual({ name: watch.name, exitCode: null, signal: null });
      expect(watch.output()).toMatch(/notifications through terminal only/);
    }
    expect(watches[0]!.output()).toMatch(/Cirrus CI: connected/);
    expect(watches[1]!.output()).toMatch(/GitHub: connected/);
    expect(watches[2]!.output()).toMatch(/Cirrus CI: connected/);
    expect(watches[3]!.output()).toMatch(/Cirrus CI: (?!connected)/);

    for (const watch of watches) watch.child.kill('SIGTERM');
    const exits = await Promise.all(watches.map((watch) => watch.exit));
    expect(exits).toEqual(watches.map(() => ({ code: 0, signal: null })));
  }, 60_000);
});
