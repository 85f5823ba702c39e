/**
 * The app's page is served from `app://buildbell/` rather than `file://`: a standard, secure
 * scheme gives the page a real origin (so ES modules and `'self'` in the CSP work without the
 * extra privileges Electron grants file:, which the fuses switch off) and lets main attach the
 * CSP as a header. Only the files listed below are served; every other path is a 404, so no
 * path can reach outside them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security.js';
import { protocol } from './electron.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://buildbell`;
/** The window's page. */
export const APP_PAGE = `${APP_ORIGIN}/index.html`;

/**
 * True for a URL of the app's own pages. Compared by protocol and host, not `URL.origin`: WHATWG
 * URL gives every non-special scheme the origin "null", which would match any such URL.
 */
export function isAppUrl(raw: string): boolean {
  if (!URL.canParse(raw)) return false;
  const url = new URL(raw);
  return url.protocol === `${APP_SCHEME}:` && url.host === 'buildbell' && url.username === '' && url.password === '';
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
};

export interface AppFiles {
  /** The `renderer/` folder: index.html and styles.css. */
  readonly pages: string;
  /** The compiled renderer scripts (`dist/renderer`). */
  readonly scripts: string;
}

/**
 * The file a request path maps to, or null. Pages come from `renderer/`, scripts (`*.js`, flat
 * names only) from the compiled renderer; names are matched against a strict pattern first, so
 * `..`, encoded slashes and backslashes never reach `path.join`. Upper-case letters are allowed
 * after the first: the project's file names are camelCase (`sourceEditor.js`).
 */
export function resolveAppFile(files: AppFiles, pathname: string): { file: string; type: string } | null {
  const match = /^\/([a-z][a-zA-Z0-9-]*)\.(html|css|js)$/.exec(pathname);
  if (!match) return null;
  const [, name, extension] = match as unknown as [string, string, string];
  if (extension === 'js') return { file: path.join(files.scripts, `${name}.js`), type: TYPES['.js']! };
  return { file: path.join(files.pages, `${name}.${extension}`), type: TYPES[`.${extension}`]! };
}

/** Answers one request for the app's files: the file with its type and the CSP, or a 404. */
export async function respondWithAppFile(files: AppFiles, requestUrl: string): Promise<Response> {
  const found = isAppUrl(requestUrl) ? resolveAppFile(files, new URL(requestUrl).pathname) : null;
  if (!found) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(found.file);
    return new Response(body, {
      status: 200,
      headers: { 'content-type': found.type, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

/** Serves the app's files on the default session; call once the app is ready. */
export function serveAppFiles(files: AppFiles): void {
  protocol.handle(APP_SCHEME, (request) => respondWithAppFile(files, request.url));
}
