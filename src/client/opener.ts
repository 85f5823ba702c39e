/**
 * OpenerPort for a terminal: hands an https URL to the system's opener (xdg-open, open, and on
 * Windows the URL protocol handler through rundll32).
 * Only https is opened: a notification click must never become `file:` (run a local file),
 * `javascript:` or a custom scheme handler. The URL goes in an argument vector, never through a
 * shell, and only in its parsed and re-serialised form.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { OpenerPort } from '../core/ports.js';

/** The subset of `child_process.spawn` the opener uses; tests pass a fake. */
export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface SystemOpenerOptions {
  /** Usually `process.platform`: picks xdg-open (default), open (darwin) or rundll32's URL handler (win32). */
  readonly platform: NodeJS.Platform;
  /**
   * The opener's environment, and where it is looked up (`PATH`). `BUILDBELL_OPENER`, when set,
   * is the path of an executable run with the URL as its only argument instead of the platform's
   * opener (end-to-end tests record the URL this way). On Windows `SystemRoot` locates rundll32.
   * Default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default `child_process.spawn`. */
  readonly spawn?: SpawnFunction;
  /**
   * The hosts whose pages may be opened, read at each call so it follows the settings
   * (`openableHosts` in webHosts.ts). Optional; default: any host (https only all the same).
   */
  readonly allowedHosts?: () => readonly string[];
}

/** Thrown for a URL the opener refuses, before anything is run. */
export class RefusedUrlError extends Error {
  override readonly name = 'RefusedUrlError';
}

/**
 * The URL to open, parsed and re-serialised, or a {@link RefusedUrlError} saying why not.
 * Also refused, as defence in depth for whatever program receives the URL on a command line: a
 * double quote (WHATWG URL leaves one in a host) and a `%` that is not a `%XX` escape (`%PATH%`).
 */
export function checkOpenableUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: only https: URLs are opened, not ${url.protocol}`);
  }
  if (url.href.includes('"')) {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: it contains a double quote`);
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(url.href)) {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(raw)}: it contains a % that is not a %XX escape`);
  }
  return url.href;
}

/**
 * `href` (from {@link checkOpenableUrl}) when its host is one of `hosts` and it carries no user
 * name or password (`https://github.com@evil.example/` names evil.example; a page with credentials
 * is never a CI's link), or a {@link RefusedUrlError} saying why not. Hosts compare as `URL.host`:
 * lower case, with a port only when it is not 443.
 */
export function checkAllowedHost(href: string, hosts: readonly string[]): string {
  const url = new URL(href);
  if (url.username !== '' || url.password !== '') {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(href)}: it carries credentials`);
  }
  if (!hosts.includes(url.host)) {
    throw new RefusedUrlError(`refusing to open ${JSON.stringify(href)}: ${url.host} is not a CI service buildbell knows (add a source for that server to open its pages)`);
  }
  return href;
}

/** The program, its arguments and spawn flags that open `href` on `platform`. */
export function openerCommand(
  platform: NodeJS.Platform,
  href: string,
  env: Readonly<Record<string, string | undefined>>,
): { command: string; args: string[]; windowsVerbatimArguments: boolean } {
  const override = env.BUILDBELL_OPENER;
  if (override !== undefined && override !== '') return { command: override, args: [href], windowsVerbatimArguments: false };
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: [href], windowsVerbatimArguments: false };
    case 'win32':
      // Not cmd's `start`: cmd expands %NAME% even inside quotes (%XX escapes can spell a name,
      // `%41PPDATA%`) and gives & and ^ meaning. url.dll's FileProtocolHandler opens the URL with
      // the default browser, as `start` does, and no shell reads it. The full path, because
      // Windows looks for a bare program name in the current folder first.
      return { command: windowsSystemProgram('rundll32.exe', env), args: ['url.dll,FileProtocolHandler', href], windowsVerbatimArguments: false };
    default:
      return { command: 'xdg-open', args: [href], windowsVerbatimArguments: false };
  }
}

/**
 * Creates the system opener. The returned function resolves once the opener process has
 * started (it is detached and not waited for: xdg-open may block until the browser exits), and
 * rejects with a {@link RefusedUrlError} for anything but https (or a host not allowed), or when the
 * opener cannot start.
 */
export function createSystemOpener(options: SystemOpenerOptions): OpenerPort {
  const { platform, env = process.env, spawn = nodeSpawn as SpawnFunction, allowedHosts } = options;
  return async (url) => {
    const href = allowedHosts === undefined ? checkOpenableUrl(url) : checkAllowedHost(checkOpenableUrl(url), allowedHosts());
    const { command, args, windowsVerbatimArguments } = openerCommand(platform, href, env);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, {
        env,
        detached: true,
        stdio: 'ignore',
        shell: false,
        windowsHide: true,
        windowsVerbatimArguments,
      });
      child.once('error', (error) => reject(new Error(`could not run ${command} to open ${href}: ${error.message}`)));
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
  };
}

/** `%SystemRoot%\\System32\\<name>`, read from the environment (not expanded by a shell). */
function windowsSystemProgram(name: string, env: Readonly<Record<string, string | undefined>>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return `${root.replace(/[\\/]+$/, '')}\\System32\\${name}`;
}
