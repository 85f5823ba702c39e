/**
 * A real, private desktop for end-to-end notifier tests: Xvfb (an X server with no screen),
 * a private D-Bus session bus, and dunst (a real notification server) on them, driven with
 * xdotool and photographed with ImageMagick's `import`. Nothing touches the developer's own
 * display or session bus, and every process started is killed again by `stop()` (or, if a test
 * run dies first, when the process exits).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dbus from '@particle/dbus-next';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { findExecutable } from '../../src/client/executables.js';
import { connectFreedesktopNotifier } from '../../src/client/notifiers/freedesktop.js';
import { silentLogger, type NotifierPort } from '../../src/core/ports.js';
import { DUNSTRC, NOTIFICATION_AREA, SCREEN, parseReceived, recordingRule, recordScript, type ReceivedNotification } from './dunst.js';

/** The programs the harness runs, and the Debian package each comes from. */
export const DESKTOP_TOOLS: Readonly<Record<string, string>> = {
  Xvfb: 'xvfb',
  'dbus-daemon': 'dbus-daemon',
  dunst: 'dunst',
  dunstctl: 'dunst',
  xdotool: 'xdotool',
  import: 'imagemagick',
  'notify-send': 'libnotify-bin',
};

/** Which of `tools` (default: the harness's) are missing from PATH (empty when the desktop can start). */
export async function desktopAvailable(
  env: NodeJS.ProcessEnv = process.env,
  tools: Readonly<Record<string, string>> = DESKTOP_TOOLS,
): Promise<{ available: boolean; missing: string[] }> {
  const missing: string[] = [];
  for (const tool of Object.keys(tools)) {
    if ((await findExecutable(tool, env, process.platform)) === undefined) missing.push(tool);
  }
  return { available: missing.length === 0, missing };
}

/** The sentence naming what is missing and the command that installs it. */
function missingToolsSentence(missing: readonly string[], tools: Readonly<Record<string, string>>): string {
  const packages = [...new Set(missing.map((tool) => tools[tool]))].join(' ');
  return `${missing.join(', ')} missing: install with \`sudo apt-get install ${packages}\` or \`sudo bash .ci/install-system-packages\``;
}

/**
 * Throws a message naming the fix when a tool is missing: for code that is about to start the
 * desktop, where a missing program would otherwise fail cryptically.
 */
export async function requireDesktop(env: NodeJS.ProcessEnv = process.env, tools: Readonly<Record<string, string>> = DESKTOP_TOOLS): Promise<void> {
  const { missing } = await desktopAvailable(env, tools);
  if (missing.length === 0) return;
  throw new Error(`the desktop tests cannot start: ${missingToolsSentence(missing, tools)}`);
}

/** Whether a file's real-desktop tests run here, and if not, why (shown in the test's name). */
export interface DesktopGate {
  readonly skip: boolean;
  /** Empty when the tests run; else ` [skipped: Xvfb, dunst missing: install with ...]`, to append to a test name. */
  readonly skipNote: string;
}

/**
 * Decides, at a test file's top level, whether its real-desktop tests run. Where a program is
 * missing (a Mac, most laptops, a bare CI runner) they are skipped with the missing programs and
 * the install command in their names. With BUILDBELL_REQUIRE_DESKTOP=1 (set by .ci/run) a missing
 * program throws instead: where the tools are meant to be installed, a skip would hide a broken setup.
 */
export async function desktopGate(env: NodeJS.ProcessEnv = process.env, tools: Readonly<Record<string, string>> = DESKTOP_TOOLS): Promise<DesktopGate> {
  const { missing } = await desktopAvailable(env, tools);
  if (missing.length === 0) return { skip: false, skipNote: '' };
  if (env['BUILDBELL_REQUIRE_DESKTOP'] === '1') {
    throw new Error(`BUILDBELL_REQUIRE_DESKTOP=1 and the desktop tests cannot run: ${missingToolsSentence(missing, tools)}`);
  }
  return { skip: true, skipNote: ` [skipped: ${missingToolsSentence(missing, tools)}]` };
}

/** A test file's real desktop, and the notifiers its tests opened (closed after each test). */
export interface DesktopForFile {
  readonly gate: DesktopGate;
  /** The running desktop; read it inside tests and hooks (it starts in beforeAll). */
  readonly desktop: Desktop;
  /** Closes `notifier` after the test. */
  keep<T extends NotifierPort>(notifier: T): T;
  /** A freedesktop notifier on the desktop's session bus, closed after the test. */
  freedesktopNotifier(): Promise<NotifierPort>;
}

/**
 * Call at a file's top level: gates the file (desktopGate: skipped with the reason, or failed
 * under BUILDBELL_REQUIRE_DESKTOP=1), starts the desktop before its tests, closes the notifiers
 * and clears the notifications after each test, and stops the desktop after them.
 */
export async function desktopForFile(): Promise<DesktopForFile> {
  const gate = await desktopGate();
  let desktop: Desktop | undefined;
  const opened: NotifierPort[] = [];
  beforeAll(async () => {
    if (!gate.skip) desktop = await startDesktop();
  });
  afterEach(async () => {
    for (const notifier of opened.splice(0)) await notifier.close();
    await desktop?.clearNotifications();
  });
  afterAll(async () => {
    await desktop?.stop();
  });
  const keep = <T extends NotifierPort>(notifier: T): T => {
    opened.push(notifier);
    return notifier;
  };
  const running = (): Desktop => {
    if (!desktop) throw new Error('the desktop starts in beforeAll: read it inside a test or hook');
    return desktop;
  };
  return {
    gate,
    get desktop() {
      return running();
    },
    keep,
    freedesktopNotifier: async () => keep(await connectFreedesktopNotifier({ busAddress: running().env['DBUS_SESSION_BUS_ADDRESS'] ?? '', logger: silentLogger })),
  };
}

export interface Desktop {
  /** The X display, e.g. `:3`. */
  readonly display: string;
  /** The private session bus address. */
  readonly busAddress: string;
  /** `process.env` with DISPLAY and DBUS_SESSION_BUS_ADDRESS pointing at this desktop. */
  readonly env: NodeJS.ProcessEnv;
  /** The process ids of Xvfb, dbus-daemon and dunst, so a test can check they are gone. */
  readonly pids: readonly number[];
  /** Clicks (left button) the topmost notification dunst shows; fails if none is shown. */
  clickNotification(): Promise<void>;
  /** How many notifications dunst has on screen (`dunstctl count displayed`). */
  displayedCount(): Promise<number>;
  /** Waits until dunst shows exactly `count` notifications (it draws asynchronously). */
  waitForDisplayed(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Every notification dunst received so far, oldest first, as its rule script saw it. Waits
   * until there are at least `count` (dunst runs the script asynchronously).
   */
  received(count?: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  /** Closes every notification dunst shows and forgets what it received (between tests). */
  clearNotifications(): Promise<void>;
  /** Runs a program on this desktop (its DISPLAY and bus) and resolves with its stdout. */
  run(file: string, args: readonly string[]): Promise<string>;
  /** Writes a PNG of the whole screen to `file`. */
  screenshot(file: string): Promise<void>;
  /** Raw RGB bytes (3 per pixel, row by row) of `NOTIFICATION_AREA`. */
  notificationAreaPixels(): Promise<Buffer>;
  /** Kills dunst, the bus and the X server and removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Every child any desktop in this process started, killed on exit if a test never got to stop(). */
const living = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of living) child.kill('SIGKILL');
});

/**
 * Starts Xvfb, a session bus and dunst, and resolves once dunst owns
 * `org.freedesktop.Notifications` on that bus. If any step fails, what was started is stopped.
 */
export async function startDesktop(): Promise<Desktop> {
  await requireDesktop();
  const dir = await mkdtemp(path.join(tmpdir(), 'buildbell-desktop-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    // Reverse order: dunst before the bus and the X server it is connected to.
    for (const child of children.reverse()) await terminate(child);
    children.length = 0;
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // -displayfd makes Xvfb pick the first free display itself and report it once it accepts
    // clients: no race with another test file choosing the same number, and no polling.
    const xvfb = track(
      spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      }),
      children,
    );
    const display = `:${await readLine(xvfb, 3, 'Xvfb')}`;

    const baseEnv: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display, XDG_RUNTIME_DIR: dir };
    delete baseEnv.WAYLAND_DISPLAY;
    const bus = track(
      spawn(
        'dbus-daemon',
        ['--session', '--nofork', '--nopidfile', `--address=unix:path=${path.join(dir, 'bus')}`, '--print-address=1'],
        { stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv },
      ),
      children,
    );
    const busAddress = await readLine(bus, 1, 'dbus-daemon');
    const env: NodeJS.ProcessEnv = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: busAddress };

    const receivedFile = path.join(dir, 'received');
    const recorder = path.join(dir, 'record.sh');
    await writeFile(recorder, recordScript(receivedFile));
    await chmod(recorder, 0o700);
    const configFile = path.join(dir, 'dunstrc');
    await writeFile(configFile, DUNSTRC + recordingRule(recorder));
    const dunst = track(spawn('dunst', ['-config', configFile], { stdio: ['ignore', 'ignore', 'pipe'], env }), children);
    await waitForNameOwner(busAddress, 'org.freedesktop.Notifications', dunst);

    const run = (file: string, args: string[]) => runFile(file, args, env);
    const displayedCount = async () => Number.parseInt(await run('dunstctl', ['count', 'displayed']), 10);
    const waitForDisplayed = async (count: number, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      let seen = await displayedCount();
      while (seen !== count) {
        if (Date.now() > deadline) throw new Error(`dunst shows ${seen} notifications, expected ${count}`);
        await delay(50);
        seen = await displayedCount();
      }
    };
    const pids = children.map((child) => child.pid ?? -1);
    return {
      display,
      busAddress,
      env,
      pids,
      async clickNotification() {
        const { x, y, width } = await visibleDunstWindow(run);
        // A little below the top edge: inside the first notification whatever its height. No
        // --sync: it waits for the pointer to move, forever when it already is there.
        await run('xdotool', ['mousemove', String(x + Math.floor(width / 2)), String(y + 15), 'click', '1']);
      },
      displayedCount,
      waitForDisplayed,
      async received(count = 0, timeoutMs = 3000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const list = parseReceived(await readFile(receivedFile, 'utf8').catch(() => ''));
          if (list.length >= count) return list;
          if (Date.now() > deadline) throw new Error(`dunst received ${list.length} notifications, expected ${count}`);
          await delay(50);
        }
      },
      async clearNotifications() {
        await run('dunstctl', ['close-all']);
        await waitForDisplayed(0);
        await writeFile(receivedFile, '');
      },
      run: (file, args) => run(file, [...args]),
      async screenshot(file) {
        await run('import', ['-display', display, '-window', 'root', file]);
      },
      async notificationAreaPixels() {
        const { x, y, width, height } = NOTIFICATION_AREA;
        return runFileBuffer('import', ['-display', display, '-window', 'root', '-crop', `${width}x${height}+${x}+${y}`, '-depth', '8', 'rgb:-'], env);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function track(child: ChildProcess, children: ChildProcess[]): ChildProcess {
  children.push(child);
  living.add(child);
  child.once('exit', () => living.delete(child));
  return child;
}

/** The first line a child writes on file descriptor `fd`; rejects with its stderr if it exits first. */
function readLine(child: ChildProcess, fd: number, name: string, timeoutMs = 10_000): Promise<string> {
  const stream = child.stdio[fd];
  if (!stream) throw new Error(`${name}: fd ${fd} is not piped`);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => fail(`${name} did not start within ${timeoutMs} ms`), timeoutMs);
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new Error(`${message}\n${stderr}`));
    };
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    child.once('error', (error) => fail(`${name} could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`${name} exited (${code ?? signal}) before it was ready`));
  });
}

/** Polls the bus until `name` has an owner; fails early if the process meant to own it exits. */
async function waitForNameOwner(busAddress: string, name: string, owner: ChildProcess, timeoutMs = 5000): Promise<void> {
  let ownerStderr = '';
  owner.stderr?.on('data', (chunk: Buffer) => {
    ownerStderr += chunk.toString();
  });
  const bus = dbus.sessionBus({ busAddress });
  bus.on('error', () => {
    // Reported through the failing call below.
  });
  try {
    const proxy = await bus.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus');
    const daemon = proxy.getInterface('org.freedesktop.DBus') as unknown as {
      NameHasOwner(name: string): Promise<boolean>;
    };
    const deadline = Date.now() + timeoutMs;
    while (!(await daemon.NameHasOwner(name))) {
      if (owner.exitCode !== null || owner.signalCode !== null) {
        throw new Error(`dunst exited before owning ${name}:\n${ownerStderr}`);
      }
      if (Date.now() > deadline) throw new Error(`nothing owned ${name} within ${timeoutMs} ms:\n${ownerStderr}`);
      await delay(50);
    }
  } finally {
    bus.disconnect();
  }
}

/** The geometry of dunst's window once it is mapped (it is unmapped while nothing is shown). */
async function visibleDunstWindow(
  run: (file: string, args: string[]) => Promise<string>,
  timeoutMs = 3000,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // xdotool search exits 1 when it finds nothing.
    const ids = await run('xdotool', ['search', '--onlyvisible', '--class', 'Dunst']).catch(() => '');
    const id = ids.split('\n').find((line) => line.trim() !== '');
    if (id !== undefined) {
      const shell = await run('xdotool', ['getwindowgeometry', '--shell', id.trim()]);
      // --shell prints lines such as X=948, Y=10, WIDTH=306, HEIGHT=57.
      const fields = new Map(shell.split('\n').map((line) => line.split('=') as [string, string]));
      const value = (key: string) => Number(fields.get(key));
      const geometry = { x: value('X'), y: value('Y'), width: value('WIDTH'), height: value('HEIGHT') };
      if (geometry.height > 1) return geometry;
    }
    if (Date.now() > deadline) throw new Error('dunst shows no notification to click');
    await delay(50);
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

function runFile(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function runFileBuffer(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 10_000, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}`));
      else resolve(stdout);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
