/**
 * The README's quick start run as written. `npm ci` and `npm test` are what CI runs (.ci/run and
 * the GitHub workflow); here `npm run demo` shows a failed build within the 15 seconds the README
 * promises, and "Run a relay and watch deliveries arrive" runs its three shell blocks, in order,
 * in one bash, from the project folder. Two changes only, so it can run
 * beside other tests: ports 8787 (the relay) and 8788 (the simulator's API) become free ports on 127.0.0.1, and the relay's database
 * ($BUILDBELL_DB) and watch's settings ($XDG_CONFIG_HOME) live in a temporary folder. The two
 * commands that run until Ctrl-C (the resuming stream, the simulator) get a SIGINT, as from a
 * user's Ctrl-C, once they have shown what the README says; then every process the script
 * started is killed with its process group.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

/** The ```sh blocks of the README section `heading`, in order, up to the next heading. */
function shellBlocks(heading: string): string[] {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no section '${heading}'`);
  const next = readme.slice(start + heading.length).search(/\n#{2,3} /);
  const end = next < 0 ? readme.length : start + heading.length + next;
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Sends SIGINT to the script's process running `pattern`, as Ctrl-C would reach the foreground
 * command. By the process group, not the parent: bash runs the script's last command in its own place.
 */
function interruptCommand(group: number, pattern: string): void {
  const pids = execFileSync('pgrep', ['-g', String(group), '-f', pattern], { encoding: 'utf8' }).trim().split('\n');
  for (const pid of pids) process.kill(Number(pid), 'SIGINT');
}

/** Runs `script` in bash in its own process group (so everything it starts can be killed with it). */
function runScript(script: string, env: NodeJS.ProcessEnv) {
  const bash = spawn('bash', ['-c', script], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  bash.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bash.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => bash.on('exit', (code) => resolve(code)));
  return {
    pid: bash.pid!,
    output: () => output,
    exited,
    async waitFor(what: string, seen: () => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`the quick start did not show ${what} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    killGroup() {
      try {
        process.kill(-bash.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    },
  };
}

/** The environment of a user without a desktop session: watch notifies in the terminal; settings in `configDir`. */
function terminalEnv(configDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configDir, USER: 'quickstart' };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'BUILDBELL_TOKEN']) delete env[name];
  return env;
}

describe('the README quick start', () => {
  it('npm run demo shows a failed build within 15 seconds', async () => {
    const blocks = shellBlocks('### See it work in ten seconds');
    expect(blocks).toEqual(['npm run demo\n']);
    const demo = runScript(blocks[0]!, terminalEnv(path.join(temp.dir, 'config-demo')));
    try {
      const started = Date.now();
      await demo.waitFor('a failed build', () => /failed https:\/\/cirrus-ci\.com\/(build|task)\/\d+/.test(demo.output()), 30_000);
      // 15 s of simulated time, plus starting npm and node on a busy machine.
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      demo.killGroup();
    }
  }, 60_000);

  it('runs as written: relay, stream, send, a hard kill and a resume, watch fed by the simulator', async () => {
    const blocks = shellBlocks('### Run a relay and watch deliveries arrive');
    expect(blocks).toHaveLength(3);
    const port = String(await freePort());
    const apiPort = String(await freePort());
    const script = `set -e\n${blocks.join('\n').replaceAll('8787', port).replaceAll('8788', apiPort)}`;
    const env = { ...terminalEnv(path.join(temp.dir, 'config')), BUILDBELL_DB: path.join(temp.dir, 'relay.db') };
    const quickStart = runScript(script, env);
    const output = quickStart.output;
    const count = (pattern: RegExp) => output().match(pattern)?.length ?? 0;

    try {
      // Blocks 1 and 2: the first stream shows seq 2 once; the resuming stream shows it again.
      await quickStart.waitFor('seq 2 replayed after the restart', () => count(/"type":"event","seq":2,/g) >= 2, 40_000);
      interruptCommand(quickStart.pid, 'stream .*--after 1');
      // Block 3: watch notifies (in the terminal here) of a build the simulator failed, after the
      // simulator started (watch may first report the sample build that send failed).
      const simulatorFailure = () => output().slice(Math.max(0, output().indexOf('buildbell simulator ('))).match(/failed https:\/\/cirrus-ci\.com\/(build|task)\/(\d+)/);
      await quickStart.waitFor('a failed build in watch', () => output().includes('buildbell simulator (') && simulatorFailure()?.[2]?.startsWith('4711') === false, 40_000);
      interruptCommand(quickStart.pid, 'simulate --relay');
      expect(await quickStart.exited).toBe(0);
    } finally {
      quickStart.killGroup();
    }

    // Each send printed the relay's answer: stored, stored, recorded (the audit event), stored.
    const answers = [...output().matchAll(/^\{"status":"(\w+)","seq":(\d+)\}$/gm)].map((match) => match[1]);
    expect(answers).toEqual(['stored', 'stored', 'recorded', 'stored']);
    // The stream printed the normalised events, GitHub's among them.
    expect(output()).toMatch(/"type":"event","seq":1,"event":\{[^\n]*"provider":"cirrus"/);
    expect(output()).toMatch(/"type":"event","seq":\d+,"event":\{[^\n]*"provider":"github"/);
  }, 120_000);
});
