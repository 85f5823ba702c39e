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
import type { AppState, RequestOf, SettingsForm, SourceForm, SourceView } from '../../src/core/ipc/contract.js';
import type { InvokeHandlers } from '../../src/main/ipc/registrar.js';
import { respondWithAppFile } from '../../src/main/appProtocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security.js';
import { findExecutable } from '../../src/client/executables.js';
import { desktopGate } from '../support/desktop.js';
import { sampleState } from './sampleState.js';
import { createEngine } from '../../src/client/engine/engine.js';
import { defaultSettings, settingsSchema } from '../../src/client/settings/schema.js';
import { createTokenStore } from '../../src/client/settings/tokenStore.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { appState } from '../../src/main/ipc/handlers.js';
import { buildEvent, detail } from '../support/engineEvents.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';

vi.mock('../../src/main/electron.js', async () => (await import('../support/fakeElectron.js')).fakeElectronModule());

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
        saveSource: (request: unknown) => invoke('saveSource', request),
        removeSource: (request: unknown) => invoke('removeSource', request),
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

function handlersFor(initial: AppState, overrides: Partial<InvokeHandlers> = {}): InvokeHandlers {
  let state = initial;
  const answer = (next: AppState) => {
    state = next;
    return { ok: true as const, value: next };
  };
  return {
    getState: async () => state,
    saveSettings: async (form: RequestOf<'saveSettings'>) => answer({ ...state, firstRun: false, settings: { ...state.settings, ...form } }),
    saveSource: async ({ original, source }: RequestOf<'saveSource'>) => {
      const before = state.sources.find((view) => view.name === original);
      const view = viewOf(source, before);
      const sources = before ? state.sources.map((other) => (other === before ? view : other)) : [...state.sources, view];
      return answer({ ...state, firstRun: false, sources });
    },
    removeSource: async ({ name }: RequestOf<'removeSource'>) => answer({ ...state, sources: state.sources.filter((view) => view.name !== name) }),
    testConnection: async () => ({ ok: true, value: 'Connected to the relay at relay.acme.dev: the token was accepted.' }),
    sendTestNotification: async () => ({ ok: true, value: 'Sent.' }),
    openBuild: async () => ({ ok: true, value: undefined }),
    ...overrides,
  };
}

/** What main would list after saving `form` over `before`: a token typed, or one stored before and not removed, is stored. */
function viewOf(form: SourceForm, before: SourceView | undefined): SourceView {
  const status = { state: 'stopped' as const, line: 'starting' };
  if (form.kind === 'demo') return { name: form.name, kind: 'demo', provider: form.provider, status };
  const removed: readonly string[] = form.removeTokens ?? [];
  const was = (purpose: 'token' | 'cirrusToken' | 'githubToken' | 'gitlabToken') => {
    const tokens = before && before.kind !== 'demo' ? (before.tokens as Partial<Record<string, { stored: boolean }>>) : {};
    return tokens[purpose]?.stored === true && !removed.includes(purpose);
  };
  const token = (purpose: 'token' | 'cirrusToken' | 'githubToken' | 'gitlabToken', typed: string | undefined) => ({ stored: typed !== undefined || was(purpose), env: null });
  if (form.kind === 'relay') {
    return { name: form.name, kind: 'relay', url: form.url, status, tokens: { token: token('token', form.token), cirrusToken: token('cirrusToken', form.cirrusToken), githubToken: token('githubToken', form.githubToken), gitlabToken: token('gitlabToken', form.gitlabToken) } };
  }
  return { name: form.name, kind: form.kind, repositories: form.repositories, apiUrl: form.kind === 'cirrus' ? null : (form.apiUrl ?? null), status, tokens: { token: token('token', form.token) } };
}

const callsOf = (backend: Backend, channel: string) => backend.calls.filter((call) => call.channel === channel).map((call) => call.payload);

async function newPage(colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 760, height: 820 }, deviceScaleFactor: 1 });
  return context.newPage();
}

describe.skipIf(gate.skip)(`the settings window in Chromium${gate.skipNote}`, () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`draws the sources, the settings and recent builds (${scheme}); screenshot kept`, async () => {
      const page = await newPage(scheme);
      const backend = await openWindow(page, handlersFor(sampleState()));
      await expect.poll(() => page.locator('#build-list li').count()).toBe(3);
      expect(await page.locator('#headline').textContent()).toBe('1 branch failing');
      // Who is on the failed build, under its title; nobody on the others.
      expect(await page.locator('#build-list li').evaluateAll((items) => items.map((item) => item.querySelector('.build-on-it')?.textContent ?? null))).toEqual(['Ana is on it', null, null]);
      // One row per source: its name, kind, where it reads from and its live connection.
      expect(await page.locator('#source-list li').evaluateAll((items) => items.map((item) => item.textContent))).toEqual([
        'work relaybuildbell relayrelay.acme.devconnected · last event 2 min agoEditRemoveRemove “work relay” and its stored tokens?RemoveKeep',
        'personal GitHubGitHub Actions APIme/dotfiles, me/blogGitHub rate limit: paused until 14:05EditRemoveRemove “personal GitHub” and its stored tokens?RemoveKeep',
      ]);
      expect(await page.locator('#source-list li .dot').evaluateAll((dots) => dots.map((dot) => (dot as HTMLElement).dataset.state))).toEqual(['connected', 'down']);
      expect(await page.isVisible('#source-editor')).toBe(false);
      await page.screenshot({ path: path.join(SHOTS, `settings-${scheme}.png`) });
      await page.screenshot({ path: path.join(SHOTS, `settings-${scheme}-full.png`), fullPage: true });
      // The editor open on the relay, its tokens shown as stored.
      await page.click('#source-list li:first-child button[data-action="edit"]');
      expect(await page.inputValue('#relay-url')).toBe('https://relay.acme.dev');
      expect(await page.getAttribute('#relay-token', 'placeholder')).toMatch(/Stored/);
      expect(await page.inputValue('#relay-token')).toBe('');
      await page.locator('#source-editor').screenshot({ path: path.join(SHOTS, `source-editor-${scheme}.png`) });
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(28, 31, 36)' : 'rgb(255, 255, 255)');
      expect(backend.errors).toEqual([]);
      expect(backend.cspViolations).toEqual([]);
      await page.context().close();
    });
  }

  it('opens on the sources on a first run, with the demo one click away', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState({ firstRun: true })));
    await expect.poll(() => page.isVisible('#welcome')).toBe(true);
    expect(await page.isVisible('#no-sources')).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'first-run-light.png') });
    await page.click('#use-demo');
    await expect.poll(() => callsOf(backend, 'saveSource')).toEqual([{ original: null, source: { kind: 'demo', name: 'demo', provider: 'cirrus' } }]);
    await expect.poll(() => page.locator('#source-list li').count()).toBe(1);
    expect(await page.isVisible('#welcome')).toBe(false);
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
    // The relay's Edit button, by keyboard: the editor opens on the name.
    await page.focus('#source-list li:first-child button[data-action="edit"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('source-name');
    const order: string[] = [];
    for (let step = 0; step < 6; step += 1) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
      if (order.at(-1) === 'relay-cirrus-token') await page.keyboard.type('typed-with-keys');
    }
    // Name, URL, the relay token, the three action tokens, then "Test connection"; Enter works it.
    expect(order).toEqual(['relay-url', 'relay-token', 'relay-cirrus-token', 'relay-github-token', 'relay-gitlab-token', 'test-connection']);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#test-result')).toMatch(/token was accepted/);
    expect(callsOf(backend, 'testConnection')).toEqual([
      { original: 'work relay', source: { kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', cirrusToken: 'typed-with-keys' } },
    ]);
    // Escape closes the editor unsaved, and the focus goes back to the row's Edit button.
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#source-editor')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit work relay');
    expect(callsOf(backend, 'saveSource')).toEqual([]);
    // Remove asks in the row; Keep puts the focus back on Remove.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove work relay');
    expect(callsOf(backend, 'removeSource')).toEqual([]);
    await page.context().close();
  });

  it('adds a GitHub Enterprise source: the typed token is sent once, and the list shows it stored, never the token', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.click('#add-source');
    await page.check('input[name="source-kind"][value="github"]');
    expect(await page.isVisible('#github-repositories')).toBe(true);
    expect(await page.isVisible('#relay-url')).toBe(false);
    // The default name is free: "GitHub" is not taken ("personal GitHub" is another name).
    expect(await page.inputValue('#source-name')).toBe('GitHub');
    await page.fill('#source-name', 'work GitHub');
    await page.fill('#github-repositories', 'acme/web\n  acme/api \n');
    await page.fill('#github-api-url', 'https://ghe.acme.dev/api/v3');
    await page.fill('#github-token', 'secret-token');
    await page.screenshot({ path: path.join(SHOTS, 'add-source-light.png'), fullPage: true });
    await page.press('#github-api-url', 'Enter'); // submits the editor from a field
    await expect.poll(() => page.textContent('#sources-result')).toBe('Saved “work GitHub”.');
    expect(callsOf(backend, 'saveSource')).toEqual([
      { original: null, source: { kind: 'github', name: 'work GitHub', repositories: ['acme/web', 'acme/api'], apiUrl: 'https://ghe.acme.dev/api/v3', token: 'secret-token' } },
    ]);
    expect(await page.isVisible('#source-editor')).toBe(false);
    expect(await page.textContent('#source-list li:nth-child(3) .source-where')).toBe('acme/web, acme/api on ghe.acme.dev');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit work GitHub');
    // Opened again: the token is "stored", the field empty, and the page holds no token text.
    await page.click('#source-list li:nth-child(3) button[data-action="edit"]');
    expect(await page.inputValue('#github-token')).toBe('');
    expect(await page.getAttribute('#github-token', 'placeholder')).toBe('Stored — leave empty to keep it');
    expect(await page.content()).not.toMatch(/secret-token/);
    expect(callsOf(backend, 'saveSettings')).toEqual([]);
    await page.context().close();
  });

  it('adds a GitLab source with projects in subgroups and a self-managed API', async () => {
    const page = await newPage('dark');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.click('#add-source');
    await page.check('input[name="source-kind"][value="gitlab"]');
    expect(await page.inputValue('#source-name')).toBe('GitLab');
    await page.fill('#gitlab-repositories', 'acme/platform/api');
    await page.fill('#gitlab-api-url', 'https://gitlab.acme.dev/api/v4');
    await page.click('#save-source');
    await expect.poll(() => callsOf(backend, 'saveSource')).toEqual([
      { original: null, source: { kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/api'], apiUrl: 'https://gitlab.acme.dev/api/v4' } },
    ]);
    await page.context().close();
  });

  it('replaces and removes the relay’s tokens for Approve and Re-run, and renames it', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState({ actionTokensStored: { cirrus: false, github: true } })));
    await page.click('#source-list li:first-child button[data-action="edit"]');
    expect(await page.textContent('.action-tokens legend')).toBe('API tokens for Approve and Re-run (optional)');
    // Only a stored token can be removed; the relay's own token only replaced.
    expect(await page.isVisible('#relay-cirrus-token-remove')).toBe(false);
    expect(await page.isVisible('#relay-github-token-remove')).toBe(true);
    expect(await page.locator('#relay-token-remove').count()).toBe(0);
    await page.fill('#relay-cirrus-token', 'cirrus-write-secret');
    await page.check('#relay-github-token-remove');
    expect(await page.isDisabled('#relay-github-token')).toBe(true);
    await page.fill('#source-name', 'team relay');
    await page.locator('#source-editor').screenshot({ path: path.join(SHOTS, 'relay-tokens-light.png') });
    await page.click('#save-source');
    await expect.poll(() => page.textContent('#sources-result')).toBe('Saved “team relay”.');
    expect(callsOf(backend, 'saveSource')).toEqual([
      { original: 'work relay', source: { kind: 'relay', name: 'team relay', url: 'https://relay.acme.dev', cirrusToken: 'cirrus-write-secret', removeTokens: ['githubToken'] } },
    ]);
    await page.click('#source-list li:first-child button[data-action="edit"]');
    expect(await page.getAttribute('#relay-cirrus-token', 'placeholder')).toBe('Stored — leave empty to keep it');
    expect(await page.getAttribute('#relay-github-token', 'placeholder')).toBe('');
    expect(await page.textContent('#relay-cirrus-token-help')).toMatch(/never shown again/);
    expect(await page.content()).not.toMatch(/cirrus-write-secret/);
    // Saving again without typing keeps the stored tokens: none is sent twice.
    await page.click('#save-source');
    await expect.poll(() => callsOf(backend, 'saveSource').length).toBe(2);
    expect(callsOf(backend, 'saveSource')[1]).toEqual({ original: 'team relay', source: { kind: 'relay', name: 'team relay', url: 'https://relay.acme.dev' } });
    expect(backend.errors).toEqual([]);
    await page.context().close();
  });

  it('removes a source after asking, and keeps the rest of the settings apart', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.click('#source-list li:nth-child(2) button[data-action="remove"]');
    expect(await page.textContent('#source-list li:nth-child(2) .source-confirm span')).toBe('Remove “personal GitHub” and its stored tokens?');
    await page.screenshot({ path: path.join(SHOTS, 'remove-source-light.png') });
    await page.click('#source-list li:nth-child(2) button[data-action="confirm-remove"]');
    await expect.poll(() => page.locator('#source-list li').count()).toBe(1);
    expect(callsOf(backend, 'removeSource')).toEqual([{ name: 'personal GitHub' }]);
    expect(await page.textContent('#sources-result')).toBe('Removed “personal GitHub”.');
    // The rest is saved by its own button and carries no source.
    await page.uncheck('#notify-failed');
    await page.check('#quiet-enabled');
    await page.fill('#muted', 'acme/legacy-*');
    await page.click('#save');
    await expect.poll(() => page.textContent('#save-result')).toBe('Saved.');
    const form = callsOf(backend, 'saveSettings').at(-1) as SettingsForm;
    expect(form).not.toHaveProperty('source');
    expect(form.notifications.failed).toBe(false);
    expect(form.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
    expect(form.mutedRepositories).toEqual(['acme/legacy-*']);
    await page.context().close();
  });

  it('shows why a save or a test failed, and a problem from main', async () => {
    const page = await newPage('dark');
    await openWindow(page, handlersFor(sampleState({ problem: 'work relay: the relay token of “work relay” is not stored: open Settings… and enter it again' }), {
      saveSource: async () => ({ ok: false, error: 'This system offers no encrypted storage, so buildbell will not store tokens.' }),
      saveSettings: async () => { throw new Error("Error invoking remote method 'buildbell:save-settings': IpcRefusedError: buildbell:save-settings: invalid request: quietHours.end: start and end must differ"); },
      testConnection: async () => ({ ok: false, error: 'Could not connect to the relay at relay.acme.dev: HTTP 401.' }),
    }));
    expect(await page.textContent('#problem')).toMatch(/is not stored/);
    await page.click('#source-list li:first-child button[data-action="edit"]');
    await page.click('#test-connection');
    await expect.poll(() => page.textContent('#test-result')).toMatch(/HTTP 401/);
    await page.fill('#relay-token', 'new');
    await page.click('#save-source');
    await expect.poll(() => page.textContent('#source-result')).toMatch(/no encrypted storage/);
    expect(await page.isVisible('#source-editor')).toBe(true);
    await page.click('#save');
    await expect.poll(() => page.textContent('#save-result')).toBe('buildbell:save-settings: invalid request: quietHours.end: start and end must differ');
    await page.screenshot({ path: path.join(SHOTS, 'errors-dark.png'), fullPage: true });
    await page.context().close();
  });

  it('opens a build through main, sends a test notification, and follows pushed state without losing the focus', async () => {
    const page = await newPage('light');
    const backend = await openWindow(page, handlersFor(sampleState()));
    await page.click('#build-list li:first-child button');
    await page.click('#test-notification');
    await expect.poll(() => page.textContent('#test-notification-result')).toBe('Sent.');
    expect(backend.calls.find((call) => call.channel === 'openBuild')?.payload).toEqual({ buildKey: 'cirrus:3' });
    await page.focus('#source-list li:nth-child(2) button[data-action="edit"]');
    const sources = sampleState().sources.map((source) => (source.name === 'personal GitHub' ? { ...source, status: { state: 'connected' as const, line: 'connected · no events yet' } } : source));
    await backend.push(sampleState({ headline: 'All passing', state: 'passing', sources }));
    await expect.poll(() => page.textContent('#headline')).toBe('All passing');
    expect(await page.textContent('#source-list li:nth-child(2) .source-status')).toBe('connected · no events yet');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit personal GitHub');
    await page.context().close();
  });

  it('shows hostile payload text as plain text: the real engine’s state, through appState, into the page', async () => {
    const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const engine = createEngine({ settings: settingsSchema.parse({}), clock: () => Date.now(), notifier: new RecordingNotifier(), opener: async () => {} });
    // A relay whose server answers with markup and escapes: its reason reaches the source's row.
    engine.setConnection({ connected: false, source: 'relay relay.acme.dev', reason: `HTTP 502 ${markup}\u001b[31m` });
    const logTail = [`\u001b[31m${markup}\u001b[0m`, 'ok\u0007 & done'];
    engine.handle(buildEvent({ state: 'failed', repo: 'web\u202e', branch: 'main\u001b]0;pwned\u0007', title: `${markup}\u0000 Fix`, task: { id: 't1', name: 'lint\u0000', state: 'failed', detail: detail({ step: `<i>eslint</i>\u001b[2J`, logTail }) } }));
    // A teammate whose token label is markup, with a bidi override and an escape.
    const word = { provider: 'cirrus' as const, repository: { id: 'acme-web\u202e', owner: 'acme', name: 'web\u202e', private: false }, buildId: '1', branch: null, active: true, at: 1 };
    engine.handleAcknowledgement({ ...word, by: '<b>Ana</b>\u202e\u001b[2J' }, { own: false });
    engine.handleAcknowledgement({ ...word, by: '<img src=x onerror=alert(1)>' }, { own: false });
    const settings = { ...defaultSettings(), sources: [{ kind: 'relay' as const, name: 'relay relay.acme.dev', url: 'https://relay.acme.dev', tokenRef: 'relay' }] };
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
    expect(await page.textContent('.source-status')).toBe(`HTTP 502 ${markup}`);
    expect(await page.textContent('.build-on-it')).toBe('<b>Ana</b> and <img src=x onerror=alert(1)> are on it');
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
