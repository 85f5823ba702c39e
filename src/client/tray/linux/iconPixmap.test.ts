import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OverallState } from '../../../core/engine/trayModel.js';
import { ICON_STATES, PACKAGE_ICONS_FOLDER, trayIconFile } from '../trayIcons.js';
import { argb32, loadIconPixmaps } from './iconPixmap.js';
import { decodePng } from './png.js';

/** The bell's colour per state, as build/icons/draw-icons.mjs paints it. */
const BELL: Readonly<Record<OverallState, [number, number, number]>> = {
  failing: [0xcf, 0x22, 0x2e],
  running: [0xbf, 0x87, 0x00],
  needs_approval: [0x82, 0x50, 0xdf],
  passing: [0x1a, 0x7f, 0x37],
  offline: [0x6e, 0x77, 0x81],
  paused: [0x6e, 0x77, 0x81],
  idle: [0x57, 0x60, 0x6a],
};

const pixel = ([width, , argb]: [number, number, Buffer], x: number, y: number) => [...argb.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];

describe('IconPixmap', () => {
  it('puts alpha first, then red, green and blue (ARGB32, network byte order)', () => {
    const [width, height, argb] = argb32({ width: 2, height: 1, rgba: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]) });
    expect({ width, height, bytes: [...argb] }).toEqual({ width: 2, height: 1, bytes: [4, 1, 2, 3, 8, 5, 6, 7] });
  });

  it('has every state\'s icon at 16 and 32 px: transparent corners, the bell in the state\'s colour', () => {
    const pixmaps = loadIconPixmaps(PACKAGE_ICONS_FOLDER);
    expect([...pixmaps.keys()].sort()).toEqual([...ICON_STATES].sort());
    for (const state of ICON_STATES) {
      const sizes = pixmaps.get(state)!;
      expect(sizes.map(([width, height, argb]) => [width, height, argb.length])).toEqual([[16, 16, 1024], [32, 32, 4096]]);
      const [small, large] = sizes as [[number, number, Buffer], [number, number, Buffer]];
      expect({ state, corner: pixel(large, 0, 0)[0] }).toEqual({ state, corner: 0 });
      // Inside the bell's body, clear of the badge and of offline's slash.
      expect({ state, bell: pixel(large, 12, 20) }).toEqual({ state, bell: [255, ...BELL[state]] });
      expect({ state, bell: pixel(small, 6, 11) }).toEqual({ state, bell: [255, ...BELL[state]] });
    }
  });

  it('is the same picture as the PNG Electron\'s tray shows, byte for byte', () => {
    const file = trayIconFile(PACKAGE_ICONS_FOLDER, 'failing', 'linux');
    const { rgba } = decodePng(readFileSync(file), path.basename(file));
    const [, , argb] = loadIconPixmaps(PACKAGE_ICONS_FOLDER).get('failing')![1]!;
    for (let i = 0; i < rgba.length; i += 4) {
      if (argb[i] !== rgba[i + 3] || argb[i + 1] !== rgba[i] || argb[i + 2] !== rgba[i + 1] || argb[i + 3] !== rgba[i + 2]) throw new Error(`pixel ${i / 4} differs`);
    }
  });
});
