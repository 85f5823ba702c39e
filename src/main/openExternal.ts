/**
 * The only way the app opens a link: a notification click, a tray item, the window's build list.
 * Like electron/fiddle's `safelyOpenWebURL`, the URL is parsed and allow-listed before the shell
 * sees it, and more strictly: https only (checkOpenableUrl) and only pages of the CI services
 * buildbell knows, so a crafted event cannot make a click open `file:`, a custom scheme handler
 * or an arbitrary site.
 */
import type { OpenerPort } from '../core/ports.js';
import { checkOpenableUrl, RefusedUrlError } from '../client/opener.js';
import { shell } from './electron.js';

/** Hosts whose pages may be opened: Cirrus CI's web app and GitHub (Actions runs). */
export const KNOWN_CI_HOSTS: readonly string[] = ['cirrus-ci.com', 'github.com'];

/** The URL to open, re-serialised, or a RefusedUrlError saying why not. */
export function checkCiUrl(raw: string, hosts: readonly string[] = KNOWN_CI_HOSTS): string {
  const href = checkOpenableUrl(raw);
  const url = new URL(href);
  if (url.username !== '' || url.password !== '') {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: it carries credentials`);
  }
  if (!hosts.includes(url.hostname)) {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: ${url.hostname} is not a CI service buildbell knows`);
  }
  return href;
}

/** Opens an allowed CI page in the user's browser; rejects with a RefusedUrlError otherwise. */
export const safelyOpenWebURL: OpenerPort = async (url) => {
  await shell.openExternal(checkCiUrl(url));
};
