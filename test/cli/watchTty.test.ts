/**
 * `buildbell watch` on a real pseudo-terminal (util-linux `script`), with no desktop, so its
 * notifications are terminal lines: what reaches the terminal is replayed through a terminal
 * emulator and read as a person would. Every notification stays readable, and the status block
 * is on screen once, at the bottom, with no stale copies above it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDBELL } from '../support/processes.js';
import { makeTempDir } from '../support/temp.js';
import { TerminalScreen } from '../support/terminalScreen.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

function headlessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].includes(key)) env[key] = value;
  }
  return env;
}

describe('buildbell watch on a terminal', () => {
  it('keeps its notifications on screen above one status block', async () => {
    const settings = path.join(temp.dir, 'settings.json');
    const command = `stty cols 120 rows 40; exec '${process.execPath}' '${BUILDBELL}' watch --demo --speed 10 --settings '${settings}'`;
    // Detached: its own process group, which the test ends as a whole.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: headlessEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 20_000;
      // Two failure notifications, then a little more for redraws that could have drawn over them.
      while ((output.match(/info ✗ /g) ?? []).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }

    const screen = new TerminalScreen(40, 120);
    screen.write(output);
    const history = screen.history();
    const notifications = output.split(/\r?\n/).filter((line) => / info ✗ /.test(line)).map((line) => line.replace(/^.*?(\d{4}-\d\d-\d\dT)/, '$1').trimEnd());
    expect(notifications.length).toBeGreaterThanOrEqual(2);
    for (const line of notifications) expect(history).toContain(line);
    const headers = history.filter((line) => line.startsWith('buildbell watch · demo'));
    expect(headers).toHaveLength(1);
    // The block is the last thing on screen: the header, then state, connection, a blank line, builds.
    const blockStart = history.indexOf(headers[0]!);
    expect(history.slice(blockStart + 1).some((line) => / info /.test(line))).toBe(false);
    expect(screen.unexpected).toEqual([]);
  }, 40_000);
});
