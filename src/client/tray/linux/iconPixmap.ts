/**
 * The StatusNotifierItem's `IconPixmap` (D-Bus type `a(iiay)`): each size of the icon as width,
 * height and ARGB32 pixels in network byte order (A, R, G, B per pixel, row by row), as the
 * StatusNotifierItem spec asks. Made from the same PNGs Electron's tray shows, decoded once at
 * start: 7 states in 2 sizes, 35 KiB in all.
 */
import { readFileSync } from 'node:fs';
import type { OverallState } from '../../../core/engine/trayModel.js';
import { ICON_STATES, statusNotifierIconFiles } from '../trayIcons.js';
import { decodePng, type RgbaImage } from './png.js';

/** One size of an icon, as dbus-next marshals `(iiay)`: `[width, height, argb]`. */
export type IconPixmap = [width: number, height: number, argb: Buffer];

/** Straight RGBA bytes to ARGB32 in network byte order (big-endian: the alpha byte first). */
export function argb32(image: RgbaImage): IconPixmap {
  const { width, height, rgba } = image;
  const argb = Buffer.alloc(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    argb[i] = rgba[i + 3]!;
    argb[i + 1] = rgba[i]!;
    argb[i + 2] = rgba[i + 1]!;
    argb[i + 3] = rgba[i + 2]!;
  }
  return [width, height, argb];
}

/** Every state's pixmaps, smallest first, read from `iconsFolder` (build/icons). Throws naming a missing or unreadable file. */
export function loadIconPixmaps(iconsFolder: string): ReadonlyMap<OverallState, readonly IconPixmap[]> {
  return new Map(
    ICON_STATES.map((state) => [state, statusNotifierIconFiles(iconsFolder, state).map((file) => argb32(decodePng(readFileSync(file), file)))]),
  );
}
