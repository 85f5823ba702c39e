/**
 * The only way the app opens a link: a notification click, a tray item, the window's build list.
 * Like electron/fiddle's `safelyOpenWebURL`, the URL is parsed and allow-listed before the shell
 * sees it, and more strictly: https only (checkOpenableUrl) and only pages of the CI services
 * buildbell knows, which are the public ones and the servers the settings' sources point at
 * (openableHosts), so a crafted event cannot make a click open `file:`, a custom scheme handler
 * or an arbitrary site.
 */
import type { OpenerPort } from '../core/ports.js';
import { checkAllowedHost, checkOpenableUrl } from '../client/opener.js';
import { PUBLIC_CI_HOSTS } from '../client/webHosts.js';
import { shell } from './electron.js';

/** The URL to open, re-serialised, or a RefusedUrlError saying why not. */
export function checkCiUrl(raw: string, hosts: readonly string[] = PUBLIC_CI_HOSTS): string {
  return checkAllowedHost(checkOpenableUrl(raw), hosts);
}

/**
 * Opens allowed CI pages in the user's browser; rejects with a RefusedUrlError otherwise.
 * `hosts` is read at each call, so the allowed set follows the settings.
 */
export function createWebOpener(hosts: () => readonly string[]): OpenerPort {
  return async (url) => {
    await shell.openExternal(checkCiUrl(url, hosts()));
  };
}
