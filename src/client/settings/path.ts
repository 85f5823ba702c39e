/**
 * Where the settings file lives on each platform, following each platform's convention. Takes
 * platform, environment and home directory as arguments so every branch is testable anywhere.
 */
import path from 'node:path';

export interface PathContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

const APP_FOLDER = 'buildbell';
const FILE_NAME = 'settings.json';

/**
 * - Linux and other Unixes: `$XDG_CONFIG_HOME/buildbell/settings.json`, else `~/.config/...`
 *   (the XDG spec says to ignore a relative `XDG_CONFIG_HOME`).
 * - macOS: `~/Library/Application Support/buildbell/settings.json`.
 * - Windows: `%APPDATA%\buildbell\settings.json`, else `~\AppData\Roaming\...`.
 */
export function settingsFilePath(context: PathContext): string {
  const { platform, env, homedir } = context;
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_FOLDER, FILE_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(homedir, 'Library', 'Application Support', APP_FOLDER, FILE_NAME);
  }
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.config');
  return path.posix.join(configHome, APP_FOLDER, FILE_NAME);
}
