/**
 * The tray icon for each overall state, per platform. The files are drawn by
 * build/icons/draw-icons.mjs and committed under build/icons/tray: macOS gets black template
 * images (the system tints them for light and dark menu bars; the state shows as the glyph's
 * badge shape) with @2x files beside them, Windows and Linux get coloured bells.
 */
import path from 'node:path';
import type { OverallState } from '../core/engine/trayModel.js';

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
