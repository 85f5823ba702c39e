/** Electron's security checklist, a test per rule, against the fake Electron. */
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from '../../test/support/fakeElectron.js';
import { APP_PAGE, registerAppScheme, resolveAppFile, respondWithAppFile } from './appProtocol.js';
import { hardenApp } from './lifecycle.js';
import { CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY } from './security.js';
import { createSettingsWindow } from './settingsWindow.js';

vi.mock('./electron.js', async () => (await import('../../test/support/fakeElectron.js')).fakeElectronModule());

beforeEach(() => {
  resetFakeElectron();
  hardenApp();
});

function openWindow() {
  const settingsWindow = createSettingsWindow({ preload: '/app/dist/preload/index.cjs' });
  settingsWindow.show('sources');
  return { settingsWindow, window: fake.windows.at(-1)! };
}

describe('every BrowserWindow', () => {
  it('is isolated, sandboxed, without Node, and loads the preload', () => {
    const { window } = openWindow();
    expect(fake.windows).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist/preload/index.cjs',
    });
  });

  it('loads only the app page, from the app scheme', () => {
    const { window } = openWindow();
    expect(window.loadedUrl).toBe(APP_PAGE);
  });

  it('is created once and reused', () => {
    const { settingsWindow } = openWindow();
    settingsWindow.show('builds');
    expect(fake.windows).toHaveLength(1);
  });
});

describe('navigation, new windows, webviews', () => {
  it('denies will-navigate', () => {
    const { window } = openWindow();
    expect(window.webContents.emitCancellable('will-navigate', 'https://evil.example/')).toBe(true);
  });

  it('denies redirects', () => {
    const { window } = openWindow();
    expect(window.webContents.emitCancellable('will-redirect', 'https://evil.example/')).toBe(true);
  });

  it('denies every window.open', () => {
    const { window } = openWindow();
    expect(window.webContents.windowOpenHandler?.({ url: 'https://cirrus-ci.com/build/1' })).toEqual({ action: 'deny' });
  });

  it('denies attaching a webview', () => {
    const { window } = openWindow();
    expect(window.webContents.emitCancellable('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every permission request', () => {
    const answers: boolean[] = [];
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      fake.session.permissionRequestHandler!({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
  });

  it('denies every permission check and device request', () => {
    expect(fake.session.permissionCheckHandler!({}, 'notifications')).toBe(false);
    expect(fake.session.devicePermissionHandler!({})).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows scripts and styles only from the app, no inline code, no network', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('is in the page meta tag as in the header, less frame-ancestors (header only)', async () => {
    const html = await readFile('renderer/index.html', 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(meta?.[1]).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${PAGE_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    expect(html).not.toMatch(/<script>(?!<\/script>)|\son[a-z]+=/i);
  });

  it('is sent as a header with every app file', async () => {
    const response = await respondWithAppFile({ pages: 'renderer', scripts: 'dist/renderer/renderer' }, APP_PAGE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('the app scheme', () => {
  const files = { pages: '/app/renderer', scripts: '/app/dist/renderer' };

  it('is registered as standard and secure', () => {
    registerAppScheme();
    expect(fake.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
  });

  it('serves only flat, known file names', () => {
    expect(resolveAppFile(files, '/index.html')).toEqual({ file: '/app/renderer/index.html', type: 'text/html; charset=utf-8' });
    expect(resolveAppFile(files, '/main.js')?.file).toBe('/app/dist/renderer/main.js');
    expect(resolveAppFile(files, '/sourceEditor.js')?.file).toBe('/app/dist/renderer/sourceEditor.js');
    for (const bad of ['/../package.json', '/%2e%2e/secret.js', '/sub/main.js', '/main.js.map', '/..\\x.js', '/.env', '/']) {
      expect(resolveAppFile(files, bad)).toBeNull();
    }
  });

  it('answers 404 for another host', async () => {
    expect((await respondWithAppFile(files, 'app://evil/index.html')).status).toBe(404);
  });
});
