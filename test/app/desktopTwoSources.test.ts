/**
 * The desktop app end to end with two sources (issue 13): the real main process (src/main/index.ts,
 * with its runtime, session, IPC registrar, tray and opener) with Electron faked at its one module,
 * and the real window in Debian's Chromium. The page's `window.buildbell` calls reach main's
 * registered IPC handlers as if from the app's own window (sender check and zod parse included),
 * and main's pushes reach the page. The two sources are the built-in demos of Cirrus CI and GitHub
 * Actions, each a simulator of its own; main's log says when each simulator starts and stops, so
 * "only the edited source restarted" is checked where it happens.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../src/core/ipc/contract.js';
import { findExecutable } from '../../src/client/executables.js';
import { desktopGate } from '../support/desktop.js';
import { fake } from '../support/fakeElectron.js';

vi.mock('../../src/main/electron.js', async () => (await import('../support/fakeElectron.js')).fakeElectronModule());

/**
 * What main's logger writes: each simulator says when it starts and stops ("simulator started" for
 * Cirrus's, "GitHub simulator started"), which tells which source (re)started. Read from the log
 * rather than by mocking src/sim/demoFeed.ts: main imports it dynamically, once per demo at the
 * same moment, and one of two such imports escaped vitest's mock.
 */
const logLines: string[] = [];
const writeToStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  logLines.push(String(chunk));
  return (writeToStderr as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

/** "cirrus started", "github stopped"…, in order. */
function simulatorLog(): string[] {
  return logLines.flatMap((line) => {
    const match = /buildbell info: (GitHub )?simulator (started|stopped)/.exec(line);
    return match ? [`${match[1] ? 'github' : 'cirrus'} ${match[2]}`] : [];
  });
}

async function findChromium(): Promise<string | undefined> {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = await findExecutable(name, process.env);
    if (found !== undefined) return found;
  }
  return undefined;
}
const CHROMIUM = await findChromium();
const gate = CHROMIUM === undefined ? await desktopGate(process.env, { chromium: 'chromium' }) : { skip: false, skipNote: '' };
const SHOTS = path.resolve('test-results/app');
const root = path.resolve('.');

let folder: string;
let server: Server;
let browser: Browser;
const savedEnv = { settings: process.env.BUILDBELL_SETTINGS, xdg: process.env.XDG_CONFIG_HOME };

beforeAll(async () => {
  if (gate.skip) return;
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.renderer.json'], { cwd: root, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`compiling the renderer failed: ${tsc.stdout}${tsc.stderr}`);
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-two-sources-'));
  const settingsFile = path.join(folder, 'settings.json');
  // Two sources at once; ten times real time so both simulators' builds come within seconds.
  await writeFile(settingsFile, JSON.stringify({
    sources: [
      { kind: 'demo', name: 'Cirrus demo', provider: 'cirrus', speed: 10 },
      { kind: 'demo', name: 'GitHub demo', provider: 'github', speed: 10 },
    ],
  }));
  process.env.BUILDBELL_SETTINGS = settingsFile;
  // "Open at login" is off: main removes its autostart entry, which must be this test's, not the user's.
  process.env.XDG_CONFIG_HOME = folder;
  await import('../../src/main/index.js');
  await waitFor(() => fake.trays.length === 1, 20_000, 'the tray');
  // The page is served by main's own app:// handler, over http for Chromium.
  const serve = fake.protocolHandlers.get('app')!;
  server = createServer((request, response) => {
    void serve(new Request(`app://buildbell${request.url ?? '/'}`)).then(async (answer) => {
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      response.writeHead(answer.status, headers);
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  if (gate.skip) {
    process.stderr.write = writeToStderr;
    return;
  }
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  // Quitting stops every source; wait for the simulators to be stopped before the folder goes.
  fake.app.emit('before-quit');
  await waitFor(() => simulatorLog().filter((line) => line.endsWith('stopped')).length === simulatorLog().length / 2, 10_000, 'the simulators to stop');
  process.stderr.write = writeToStderr;
  process.env.BUILDBELL_SETTINGS = savedEnv.settings;
  process.env.XDG_CONFIG_HOME = savedEnv.xdg;
  if (savedEnv.settings === undefined) delete process.env.BUILDBELL_SETTINGS;
  if (savedEnv.xdg === undefined) delete process.env.XDG_CONFIG_HOME;
  await rm(folder, { recursive: true, force: true });
});

/** Hooks cannot use expect.poll: waits for `done`, or throws saying for what. */
async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the settings window from the tray's menu and connects the page to main as its preload would. */
async function openSettingsFromTray(): Promise<Page> {
  const menu = fake.trays[0]!.menu as { template: Array<{ label?: string; click?: () => void }> };
  menu.template.find((item) => item.label === 'Settings…')!.click!();
  const window = fake.windows.at(-1)!;
  const page = await (await browser.newContext({ viewport: { width: 760, height: 900 }, deviceScaleFactor: 1 })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // What the page sends goes to main's registered handler, from the app's window and page.
  await page.exposeFunction('__buildbellInvoke', async (name: keyof typeof INVOKE_CHANNELS, payload: unknown) =>
    fake.handlers.get(INVOKE_CHANNELS[name])!({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, payload),
  );
  // What main sends to the window reaches the page's listeners.
  const names = Object.fromEntries(Object.entries(EVENT_CHANNELS).map(([name, channel]) => [channel, name]));
  window.webContents.send = (channel: string, payload: unknown) => {
    void page.evaluate(([name, value]) => (window as unknown as { __emit?: (n: string, p: unknown) => void }).__emit?.(name, value), [names[channel]!, payload] as const).catch(() => undefined);
  };
  await page.addInitScript(() => {
    const invoke = (window as unknown as { __buildbellInvoke: (name: string, payload?: unknown) => Promise<unknown> }).__buildbellInvoke;
    const listeners: Record<string, Array<(payload: unknown) => void>> = { stateChanged: [], showSection: [] };
    const on = (name: string) => (listener: (payload: unknown) => void) => {
      listeners[name]!.push(listener);
      return () => void (listeners[name] = listeners[name]!.filter((other) => other !== listener));
    };
    Object.defineProperty(window, 'buildbell', {
      value: Object.freeze({
        getState: () => invoke('getState'),
        saveSettings: (form: unknown) => invoke('saveSettings', form),
        saveSource: (request: unknown) => invoke('saveSource', request),
        removeSource: (request: unknown) => invoke('removeSource', request),
        testConnection: (request: unknown) => invoke('testConnection', request),
        sendTestNotification: () => invoke('sendTestNotification'),
        openBuild: (request: unknown) => invoke('openBuild', request),
        onStateChanged: on('stateChanged'),
        onShowSection: on('showSection'),
      }),
    });
    (window as unknown as { __emit: (name: string, payload: unknown) => void }).__emit = (name, payload) => listeners[name]!.forEach((listener) => listener(payload));
  });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
  await page.waitForSelector('html[data-ready="true"]');
  expect(errors).toEqual([]);
  return page;
}

const rowNames = (page: Page) => page.locator('#source-list .source-name').allTextContents();
const statusOf = (page: Page, name: string) => page.locator(`#source-list li[data-name="${name}"] .source-status`).textContent();

describe.skipIf(gate.skip)(`the desktop app with two sources${gate.skipNote}`, () => {
  it('runs both, shows each one’s connection and builds, restarts only the edited one, and removes one', { timeout: 120_000 }, async () => {
    expect(simulatorLog().sort()).toEqual(['cirrus started', 'github started']);
    const page = await openSettingsFromTray();

    // Both sources listed, each with its own live line, and the header's line per source.
    expect(await rowNames(page)).toEqual(['Cirrus demo', 'GitHub demo']);
    await expect.poll(() => statusOf(page, 'Cirrus demo'), { timeout: 20_000 }).toMatch(/^connected/);
    await expect.poll(() => statusOf(page, 'GitHub demo'), { timeout: 20_000 }).toMatch(/^connected/);
    expect(await page.locator('#connection .connection-line').allTextContents()).toEqual([
      expect.stringMatching(/^Cirrus demo: connected/),
      expect.stringMatching(/^GitHub demo: connected/),
    ]);

    // Builds from both arrive in the window (pushed by main); each opens its own CI's page through main's opener.
    await expect.poll(() => page.locator('#build-list li').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const buttons = page.locator('#build-list li button');
    await expect.poll(async () => {
      fake.opened.length = 0;
      const count = await buttons.count();
      for (let index = 0; index < count; index += 1) await buttons.nth(index).click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return new Set(fake.opened.map((url) => new URL(url).host));
    }, { timeout: 60_000, interval: 2_000 }).toEqual(new Set(['cirrus-ci.com', 'github.com']));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'two-sources-light.png') });

    // Edit the GitHub demo in the window (a new name): it restarts, the Cirrus demo does not.
    await page.click('#source-list li[data-name="GitHub demo"] button[data-action="edit"]');
    await page.fill('#source-name', 'Actions demo');
    await page.click('#save-source');
    await expect.poll(() => page.textContent('#sources-result')).toBe('Saved “Actions demo”.');
    expect(await rowNames(page)).toEqual(['Cirrus demo', 'Actions demo']);
    expect(simulatorLog().slice(2)).toEqual(['github stopped', 'github started']);
    await expect.poll(() => statusOf(page, 'Actions demo'), { timeout: 20_000 }).toMatch(/^connected/);
    const saved = JSON.parse(await readFile(process.env.BUILDBELL_SETTINGS!, 'utf8')) as { sources: Array<{ name: string; speed?: number }> };
    // The file-only speed stays with the renamed source.
    expect(saved.sources).toEqual([
      { kind: 'demo', name: 'Cirrus demo', provider: 'cirrus', speed: 10 },
      { kind: 'demo', name: 'Actions demo', provider: 'github', speed: 10 },
    ]);

    // Remove the Cirrus demo: its simulator stops, its lines go, the other runs on.
    await page.click('#source-list li[data-name="Cirrus demo"] button[data-action="remove"]');
    await page.click('#source-list li[data-name="Cirrus demo"] button[data-action="confirm-remove"]');
    await expect.poll(() => rowNames(page)).toEqual(['Actions demo']);
    await expect.poll(() => simulatorLog().slice(2)).toEqual(['github stopped', 'github started', 'cirrus stopped']);
    await expect.poll(() => page.locator('#connection .connection-line').allTextContents()).toEqual([expect.stringMatching(/^Actions demo: connected/)]);
    const after = JSON.parse(await readFile(process.env.BUILDBELL_SETTINGS!, 'utf8')) as { sources: Array<{ name: string }> };
    expect(after.sources.map((source) => source.name)).toEqual(['Actions demo']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'two-sources-after-remove-light.png') });
    await page.context().close();
  });
});
