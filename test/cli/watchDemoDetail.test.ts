/**
 * Issue 17, "done when": in the demo a failed build's notification says which step or command
 * failed, with the last lines of its log. The real `buildbell watch --demo` process, headless, so
 * its notifier is the terminal and what it prints is what the notification says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDBELL } from '../support/processes.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  temp.remove();
});

function headlessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].includes(key)) env[key] = value;
  }
  return env;
}

/** Runs `watch --demo` until its output matches `pattern` (or 30 s pass), then stops it; returns the output. */
async function demoUntil(name: string, args: string[], pattern: RegExp): Promise<string> {
  const settingsFile = path.join(temp.dir, `${name}.json`);
  writeFileSync(settingsFile, '{}');
  const child = spawn(process.execPath, [BUILDBELL, 'watch', '--demo', '--speed', '5', '--settings', settingsFile, ...args], { env: headlessEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', listen);
    child.stderr!.on('data', listen);
  });
  child.kill('SIGTERM');
  await exited;
  return output;
}

describe('the demo explains its failures', () => {
  it('Cirrus: the failed command and the last lines of its log, colour codes gone', async () => {
    const output = await demoUntil('cirrus', [], /command “\w+” failed · > [^\n]*· > /);
    const line = output.split('\n').find((candidate) => /✗ .* failed · .*command “\w+” failed/.test(candidate));
    expect(line, output).toMatch(/\d of \d tasks failed: [^·]+ · [^·]+: command “\w+” failed · > [^·]+ · > /);
    expect(line).not.toContain('\u001b');
  }, 40_000);

  it('GitHub: the failed step and the first annotation on a file', async () => {
    const output = await demoUntil('github', ['--provider', 'github'], /step “Run [^”]+” failed · src\/[^:]+:\d+: /);
    expect(output).toMatch(/\d of \d jobs failed: \w+ · \w+: step “Run [^”]+” failed · src\/[^:]+:\d+: .+/);
  }, 40_000);

  it("GitLab: GitLab's reason, then the last lines of the job's log, colour codes and section markers gone", async () => {
    const output = await demoUntil('gitlab', ['--provider', 'gitlab'], /: (script|runner system) failure · (> [^·\n]+ · )*> ERROR: Job failed/);
    const line = output.split('\n').find((candidate) => /failure · .*> ERROR: Job failed/.test(candidate));
    expect(line, output).toMatch(/\d of \d jobs failed: [^·]+ · [^·]+: (script|runner system) failure · (> [^·]+ · )*> ERROR: Job failed/);
    expect(line).not.toContain('\u001b');
    expect(line).not.toMatch(/section_(start|end)/);
  }, 40_000);
});
