/**
 * The settings window in a real browser: Debian's Chromium through Playwright, the page served
 * with the same file mapping and CSP header as the app's app:// scheme, and `window.buildbell`
 * provided by a bridge that forwards each call to handlers typed by the IPC contract here in the
 * test. Screenshots, light and dark, go to test-results/app/ (git-ignored) to be looked at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppState, RequestOf, SettingsForm } from '../../src/core/ipc/contract.js';
import type { InvokeHandlers } from '../../src/main/ipc/registrar.js';
import { respondWithAppFile } from '../../src/main/appProtocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security.js';
import { findExecutable } from '../../src/client/executables.js';
import { desktopGate } from '../support/desktop.js';
import { sampleState } from './sample-state.js';
import { createEngine } from '../../src/client/engine/engine.js';
import { defaultSettings, settingsSchema } from '../../src/client/settings/schema.js';
import { createTokenStore } from '../../src/client/settings/tokenStore.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { appState } from '../../src/main/ipc/handlers.js';
import { buildEvent, detail } from '../support/engine-events.js';
import { RecordingNotifier } from '../support/fake-notifier.js';

vi.mock('../../src/main/electron.js', async () => (await import('../support/fake-electron.js')).fakeElectronModule());

/** Debian's Chromium (.ci/install-system-packages), or a Chrome already on PATH (GitHub's runners have one). */
async function findChromium(): Promise<string | undefined> {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = await findExecutable(name, process.env);
    if (found !== undefined) return found;
  }
  return undefined;
}
const CHROMIUM = await findChromium();
// Without a browser the window's tests are skipped, saying so (failed under BUILDBELL_REQUIRE_DESKTOP=1).
const gate = CHROMIUM === undefined ? await desktopGate(process.env, { chromium: 'chromium' }) : { skip: false, skipNote: '' };
const SHOTS = path.resolve('test-results/app');
const root = path.resolve('.');

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (gate.skip) return;
  // The window's scripts are compiled like `npm run build` does it.
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.renderer.json'], { cwd: root, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`compiling the renderer failed: ${tsc.stdout}${tsc.stderr}`);
  const files = { pages: path.join(root, 'renderer'), scripts: path.join(root, 'dist/renderer/renderer') };
  server = createServer((request, response) => {
    void respondWithAppFile(files, `app://buildbell${request.url ?? '/'}`).then(async (answer) => {
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      response.writeHead(answer.status, headers);
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
});

interface Backend {
  readonly calls: Array<{ channel: string; payload: unknown }>;
  readonly cspViolations: string[];
  readonly errors: string[];
  push(state: AppState): Promise<void>;
}

/** Opens the window against `handlers`; every call is recorded. */
async function openWindow(page: Page, handlers: InvokeHandlers): Promise<Backend> {
  const calls: Backend['calls'] = [];
  const cspViolations: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.exposeFunction('__buildbellInvoke', async (channel: keyof InvokeHandlers, payload: unknown) => {
    calls.push({ channel, payload });
    return (handlers[channel] as (request: unknown) => Promise<unknown>)(payload);
  });
  await page.exposeFunction('__buildbellViolation', (text: string) => cspViolations.push(text));
  // The bridge: the preload's API shape, each function a call to the test's handler.
  await page.addInitScript(() => {
    const invoke = (window as unknown as { __buildbellInvoke: (c: string, p?: unknown) => Promise<unknown> }).__buildbellInvoke;
    const listeners: Record<string, Array<(payload: unknown) => void>> = { stateChanged: [], showSection: [] };
    const on = (name: string) => (listener: (payload: unknown) => void) => {
      listeners[name]!.push(listener);
      return () => void (listeners[name] = listeners[name]!.filter((l) => l !== listener));
    };
    Object.defineProperty(window, 'buildbell', {
      value: Object.freeze({
        getState: () => invoke('getState'),
        saveSettings: (form: unknown) => invoke('saveSettings', form),
        testConnection: (request: unknown) => invoke('testConnection', request),
        sendTestNotification: () => invoke('sendTestNotification'),
        openBuild: (request: unknown) => invoke('openBuild', request),
        onStateChanged: on('stateChanged'),
        onShowSection: on('showSection'),
      }),
    });
    (window as unknown as { __emit: (n: string, p: unknown) => void }).__emit = (name, payload) => listeners[name]!.forEach((l) => l(payload));
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { __buildbellViolation: (t: string) => void }).__buildbellViolation(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('html[data-ready="true"]');
  return { calls, cspViolations, errors, push: (state) => page.evaluate((s) => (window as unknown as { __emit: (n: string, p: unknown) => void }).__emit('stateChanged', s), state) };
}

function handlersFor(state: AppState, overrides: Partial<InvokeHandlers> = {}): InvokeHandlers {
  return {
    getState: async () => state,
    saveSettings: async (form: RequestOf<'saveSettings'>) => ({ ok: true, value: { ...state, firstRun: false, settings: { ...state.settings, ...viewOf(form, state) } } }),
    testConnection: async () => ({ ok: true, value: 'Connected to the relay at relay.acme.dev: the token was accepted.' }),
    sendTestNotification: async () => ({ ok: true, value: 'Sent.' }),
    openBuild: async () => ({ ok: true, value: undefined }),
    ...overrides,
  };
}

/** What main would show after saving `form` over `state`: a token typed, or one stored before, is stored. */
function viewOf(form: SettingsForm, state: AppState): Partial<AppState['settings']> {
  const { source, ...rest } = form;
  const before = state.settings.source.kind === 'relay' ? state.settings.source.actionTokensStored : { cirrus: false, github: false };
  const view =
    source.kind === 'demo'
      ? source
      : source.kind === 'relay'
        ? {
            kind: 'relay' as const,
            url: source.url,
            tokenStored: true,
            actionTokensStored: { cirrus: before.cirrus || source.cirrusToken !== undefined, github: before.github || source.githubToken !== undefined },
          }
        : { kind: source.kind, repositories: source.repositories, tokenStored: true };
  return { ...rest, source: view };
}

async function newPage(colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 760, height: 820 }, deviceScaleFactor: 1 });
  return context.newPage();
}

describe.skipIf(gate.skip)(`the settings window in Chromium${gate.skipNote}`, () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`draws the settings and recent builds (${scheme}); screenshot kept`, async () => {
      const page = await newPage(scheme);
      const backend = await openWindow(page, handlersFor(sampleState()));
      await expect.poll(() => page.locator('#build-list li').count()).toBe(3);
      expect(await page.locator('#headline').textContent()).toBe('1 branch failing');
      expect(await page.inputValue('#relay-url')).toBe('https://relay.acme.dev');
      expect(await page.getAttribute('#relay-token', 'placeholder')).toMatch(/token is stored/);
      expect(await page.inputValue('#relay-token')).toBe('');
      // What the window shows on opening, and the whole page (the sticky Save bar is drawn where the first screen ends).
      await page.screenshot({ path: path.join(SHOTS, `settings-${scheme}.png`) });
      await page.screenshot({ path: path.join(SHOTS, `settings-${scheme}-full.png`), fullPage: true });
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(28, 31, 36)' : 'rgb(255, 255, 255)');
      expect(backend.errors).toEqual([]);
      expect(backend.cspViolations).toEqual([]);
      await page.context().close();
    });
  }

  it('opens on the choice of source on a first run, with the demo one click away', async () => {
    const page = await newPage('light');
    const state = sampleState({ firstRun: true });
    const backend = await openWindow(page, handlersFor(state));
    await expect.poll(() => page.isVisible('#welcome')).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'first-run-light.png') });
    await page.click('#use-demo');
    await expect.poll(() => backend.calls.find((call) => call.channel === 'saveSettings')).toBeTruthy();
    const form = backend.calls.find((call) => call.channel === 'saveSettings')!.payload as SettingsForm;
    expect(form.source).toEqual({ kind: 'demo' });
    await expect.poll(() => page.textContent('#save-result')).toBe('Saved.');
    await page.context().close();
  });

  it('is usable from the keyboard alone, and every field has a label', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, textarea, select'))
        .filter((field) => !(field as HTMLInputElement).labels?.length && !field.getAttribute('aria-label'))
        .map((field) => field.id || field.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    // From the relay token, Tab goes through the two action tokens to "Test connection"; Enter works it.
    await page.focus('#relay-token');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('relay-cirrus-token');
    await page.keyboard.type('typed-with-keys');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('relay-github-token');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('test-connection');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#test-result')).toMatch(/token was accepted/);
    expect(backend.calls.find((call) => call.channel === 'testConnection')?.payload).toEqual({
      source: { kind: 'relay', url: 'https://relay.acme.dev', cirrusToken: 'typed-with-keys' },
    });
    await page.context().close();
  });

  it('sends the typed token once, on save, and the round trip refills the form without it', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.check('input[name="source-kind"][value="cirrus"]');
    expect(await page.isVisible('#cirrus-repositories')).toBe(true);
    expect(await page.isVisible('#relay-url')).toBe(false);
    expect(await page.isVisible('#relay-cirrus-token')).toBe(false);
    await page.fill('#cirrus-repositories', 'acme/web\n  acme/api \n');
    await page.fill('#cirrus-token', 'secret-token');
    await page.uncheck('#notify-failed');
    await page.check('#quiet-enabled');
    await page.fill('#muted', 'acme/legacy-*');
    await page.keyboard.press('Enter'); // submits the form from a field
    await page.click('#save');
    await expect.poll(() => page.textContent('#save-result')).toBe('Saved.');
    const form = backend.calls.filter((call) => call.channel === 'saveSettings').at(-1)!.payload as SettingsForm;
    expect(form.source).toEqual({ kind: 'cirrus', repositories: ['acme/web', 'acme/api'], token: 'secret-token' });
    expect(form.notifications.failed).toBe(false);
    expect(form.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
    expect(form.mutedRepositories).toEqual(['acme/legacy-*']);
    expect(await page.inputValue('#cirrus-token')).toBe('');
    await page.context().close();
  });

  it('takes the relay’s tokens for Approve and Re-run, sends them once, and then shows them as stored', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState({ actionTokensStored: { cirrus: false, github: false } })));
    await page.check('input[name="source-kind"][value="demo"]');
    expect(await page.isVisible('#relay-cirrus-token')).toBe(false);
    await page.check('input[name="source-kind"][value="relay"]');
    expect(await page.isVisible('#relay-cirrus-token')).toBe(true);
    expect(await page.isVisible('#relay-github-token')).toBe(true);
    expect(await page.textContent('.action-tokens legend')).toBe('API tokens for Approve and Re-run (optional)');
    expect(await page.getAttribute('#relay-cirrus-token', 'placeholder')).toBe('');
    await page.fill('#relay-cirrus-token', 'cirrus-write-secret');
    await page.fill('#relay-github-token', ' github-actions-secret ');
    await page.screenshot({ path: path.join(SHOTS, 'relay-action-tokens-light.png'), fullPage: true });
    await page.click('#save');
    await expect.poll(() => page.textContent('#save-result')).toBe('Saved.');
    const saves = backend.calls.filter((call) => call.channel === 'saveSettings');
    expect(saves).toHaveLength(1);
    expect((saves[0]!.payload as SettingsForm).source).toEqual({
      kind: 'relay',
      url: 'https://relay.acme.dev',
      cirrusToken: 'cirrus-write-secret',
      githubToken: 'github-actions-secret',
    });
    // The next state says both are stored; the fields are empty again and the page holds no token text.
    for (const id of ['#relay-cirrus-token', '#relay-github-token']) {
      expect(await page.inputValue(id)).toBe('');
      expect(await page.getAttribute(id, 'placeholder')).toBe('A token is stored — leave empty to keep it');
    }
    expect(await page.textContent('#relay-github-token-help')).toMatch(/never shown again/);
    expect(await page.content()).not.toMatch(/cirrus-write-secret|github-actions-secret/);
    // Saving again without typing keeps the stored tokens: none is sent twice.
    await page.click('#save');
    await expect.poll(() => backend.calls.filter((call) => call.channel === 'saveSettings').length).toBe(2);
    expect((backend.calls.filter((call) => call.channel === 'saveSettings')[1]!.payload as SettingsForm).source).toEqual({ kind: 'relay', url: 'https://relay.acme.dev' });
    expect(backend.errors).toEqual([]);
    await page.context().close();
  });

  it('shows why a save or a test failed, and a problem from main', async () => {
    const page = await newPage('dark');
    await openWindow(page, handlersFor(sampleState({ problem: 'The relay needs its token: open Settings… and enter it.' }), {
      saveSettings: async () => ({ ok: false, error: 'This system offers no encrypted storage, so buildbell will not store tokens.' }),
      testConnection: async () => ({ ok: false, error: 'Could not connect to the relay at relay.acme.dev: HTTP 401.' }),
    }));
    expect(await page.textContent('#problem')).toMatch(/needs its token/);
    await page.click('#test-connection');
    await expect.poll(() => page.textContent('#test-result')).toMatch(/HTTP 401/);
    await page.click('#save');
    await expect.poll(() => page.textContent('#save-result')).toMatch(/no encrypted storage/);
    await page.screenshot({ path: path.join(SHOTS, 'errors-dark.png'), fullPage: true });
    await page.context().close();
  });

  it('opens a build through main, sends a test notification, and follows pushed state', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.click('#build-list li:first-child button');
    await page.click('#test-notification');
    await expect.poll(() => page.textContent('#test-notification-result')).toBe('Sent.');
    expect(backend.calls.find((call) => call.channel === 'openBuild')?.payload).toEqual({ buildKey: 'cirrus:3' });
    await backend.push(sampleState({ headline: 'All passing', state: 'passing' }));
    await expect.poll(() => page.textContent('#headline')).toBe('All passing');
    await page.context().close();
  });

  it('shows hostile payload text as plain text: the real engine’s state, through appState, into the page', async () => {
    const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const engine = createEngine({ settings: settingsSchema.parse({}), clock: () => Date.now(), notifier: new RecordingNotifier(), opener: async () => {} });
    engine.setConnection({ connected: true, source: 'relay relay.acme.dev' });
    const logTail = [`\u001b[31m${markup}\u001b[0m`, 'ok\u0007 & done'];
    engine.handle(buildEvent({ state: 'failed', repo: 'web\u202e', branch: 'main\u001b]0;pwned\u0007', title: `${markup}\u0000 Fix`, task: { id: 't1', name: 'lint\u0000', state: 'failed', detail: detail({ step: `<i>eslint</i>\u001b[2J`, logTail }) } }));
    const settings = defaultSettings();
    const state = await appState({
      runtime: {
        start: async () => {}, engine: () => engine, settings: () => settings, sources: () => [], firstRun: () => false,
        problem: () => `Could not start the relay: ${markup}\u001b[31m`, applySettings: async () => {}, onChange: () => {}, stop: async () => {},
      },
      tokens: createTokenStore(path.join(root, 'test-results/no-tokens.json'), { isEncryptionAvailable: () => true, encryptString: Buffer.from, decryptString: String }),
      notifier: { showOwn: () => {} },
      showWindow: () => {},
    });
    engine.close();
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(state));
    await expect.poll(() => page.locator('#build-list li').count()).toBe(1);
    expect(await page.textContent('.build-title')).toBe(`${markup} Fix`);
    expect(await page.textContent('.build-place')).toBe('acme/web · main');
    expect(await page.textContent('#problem')).toBe(`Could not start the relay: ${markup}`);
    // The failure's step and log lines: text, escapes gone, markup shown as written.
    expect(await page.locator('.build-failure > div').allTextContents()).toEqual(['lint: command “<i>eslint</i>” failed', `> ${markup}`, '> ok & done']);
    expect(await page.locator('img, b, i').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(isDisplaySafe(await page.evaluate(() => document.body.textContent ?? '').then((text) => text.replace(/\s+/g, ' ')))).toBe(true);
    expect(backend.errors).toEqual([]);
    await page.context().close();
  });

  it('runs under the CSP header with no inline script and no violation', async () => {
    const page = await newPage('light');
    const response = await page.goto(`${base}/index.html`);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const injected = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(injected).toBe(false);
    await page.context().close();
  });
});
