/**
 * "Open at login". macOS and Windows have an API for it (Electron's login item settings); Linux
 * desktops follow the XDG autostart spec instead: a .desktop file in ~/.config/autostart, which
 * Electron does not write, so this module does.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PathContext } from '../client/settings/path.js';

export interface LoginItemPort {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean }): void;
}

/** The autostart entry's path on Linux. */
export function autostartFile(context: Pick<PathContext, 'env' | 'homedir'>): string {
  const xdg = context.env.XDG_CONFIG_HOME;
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(context.homedir, '.config');
  return path.posix.join(configHome, 'autostart', 'buildbell.desktop');
}

/** The autostart entry; an AppImage must be started through its own path ($APPIMAGE), not the mounted binary. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return ['[Desktop Entry]', 'Type=Application', 'Name=buildbell', 'Comment=CI build notifications in the tray', `Exec=${quoted}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

export async function applyOpenAtLogin(
  enabled: boolean,
  context: PathContext & { readonly executable: string; readonly app: LoginItemPort },
): Promise<void> {
  if (context.platform !== 'linux') {
    context.app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true });
    return;
  }
  const file = autostartFile(context);
  if (!enabled) return rm(file, { force: true });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, autostartEntry(context.env.APPIMAGE || context.executable), { mode: 0o644 });
}
