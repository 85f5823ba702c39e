/**
 * How the app lives: one instance (a second launch shows the first one's settings window and
 * exits), no Dock icon on macOS (the menu bar icon is the app, as in Gitify and CCMenu), and no
 * quitting when the last window closes: the tray stays.
 */
import { app, session } from './electron.js';
import { denyAllPermissions, lockDownContents } from './security.js';

/** False when another instance runs; this one should quit. `onSecondLaunch` runs in the first. */
export function claimSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', onSecondLaunch);
  return true;
}

/** Applies the security rules to every WebContents the app will ever create, and to its session. */
export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  denyAllPermissions(session.defaultSession);
}

/** A tray app: no Dock icon on macOS, and closing the window does not quit. */
export function liveInTray(platform: NodeJS.Platform): void {
  if (platform === 'darwin') app.dock?.hide();
  app.on('window-all-closed', () => {
    // Deliberately empty: without a listener Electron quits when the last window closes.
  });
}
