/**
 * The tray icon for each overall state, per platform, for both shells: Electron's tray and
 * `watch --tray`'s StatusNotifierItem read the same files. They are drawn by
 * build/icons/draw-icons.mjs and committed under build/icons/tray: macOS gets black template
 * images (the system tints them for light and dark menu bars; the state shows as the glyph's
 * badge shape) with @2x files beside them, Windows and Linux get coloured bells.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OverallState } from '../../core/engine/trayModel.js';

/** Every state has an icon; `idle` shares the passing bell without a badge. */
export const ICON_STATES: readonly OverallState[] = ['failing', 'running', 'needs_approval', 'passing', 'offline', 'paused', 'idle'];

/**
 * The icon file for a state. macOS: `<state>Template.png` (Electron loads `@2x` beside it and
 * treats the name suffix `Template` as a template image). Windows: 16 px base with @2x for high
 * DPI. Linux: 32 px (panels scale down; most draw at 22 to 24 px).
 */
export function trayIconFile(iconsFolder: string, state: OverallState, platform: NodeJS.Platform): string {
  const name = state.replace('_', '-');
  if (platform === 'darwin') return path.join(iconsFolder, 'tray', 'mac', `${name}Template.png`);
  if (platform === 'win32') return path.join(iconsFolder, 'tray', 'win', `${name}.png`);
  return path.join(iconsFolder, 'tray', 'linux', `${name}.png`);
}

/**
 * The package's own icons folder (`build/icons`, shipped in the npm package): this file sits
 * three folders below the package root both as source (`src/client/tray`) and compiled
 * (`dist/client/tray`). The desktop app passes its own (`app.getAppPath()`, inside the asar).
 */
export const PACKAGE_ICONS_FOLDER = fileURLToPath(new URL('../../../build/icons', import.meta.url));

/**
 * The coloured drawings of a state for a StatusNotifierItem, smallest first: the 16 px one (drawn
 * for Windows) and the 32 px one (drawn for Linux panels). The host picks the size closest to
 * its panel's; the same pictures as Electron's tray shows.
 */
export function statusNotifierIconFiles(iconsFolder: string, state: OverallState): string[] {
  return [trayIconFile(iconsFolder, state, 'win32'), trayIconFile(iconsFolder, state, 'linux')];
}
