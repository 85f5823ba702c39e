/**
 * Electron's security checklist, held in one module so each rule has one place and one test:
 * isolated, sandboxed windows without Node; a strict Content-Security-Policy; no navigation, no
 * new windows, no webviews; every permission request denied. The window only ever shows the
 * app's own page, so anything else it tries is refused rather than judged case by case.
 */
import type { Session, WebContents, WebPreferences } from './electron.js';

/**
 * The policy for the app's page: scripts and styles from the app itself only (no inline code, no
 * eval), images from the app or data: URLs, and no network at all: the page talks to main over
 * IPC, never to a server.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The header adds `frame-ancestors`, which browsers honour only in a header (in a meta tag it is
 * ignored with a console error). The page's meta tag carries the rest, so the page stays locked
 * even if it were ever loaded without the header.
 */
export const CONTENT_SECURITY_POLICY = `${PAGE_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** The webPreferences of every BrowserWindow the app creates. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Refuses navigation away from the page, new windows and webviews for one WebContents. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Denies every permission (camera, notifications for the page, geolocation, ...) in a session. */
export function denyAllPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}
