#!/usr/bin/env node
// Draws buildbell's icons with ImageMagick (`convert`) and writes them beside this script:
//   tray/mac/<state>Template.png (+@2x): black template images; macOS tints them for the menu bar,
//     so the state is the badge's symbol, cut out of the badge.
//   tray/win/<state>.png (+@2x) and tray/linux/<state>.png: the bell tinted per state, with a badge.
//   ../icon.png: the 1024 px app icon electron-builder turns into .icns, .ico and Linux sizes.
// Everything is drawn on a 512 px canvas (the bell path is on a 64 grid, scaled by 8) and scaled
// down, so small sizes are antialiased. Run: node build/icons/draw-icons.mjs (outputs are committed).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BELL =
  'M32 5 C29.8 5 28 6.8 28 9 L28 10.6 C20.4 12.4 15 19.2 15 27.5 L15 40 L10 46 L10 49 L54 49 L54 46 L49 40 L49 27.5 ' +
  'C49 19.2 43.6 12.4 36 10.6 L36 9 C36 6.8 34.2 5 32 5 Z M26 52 C26 55.3 28.7 58 32 58 C35.3 58 38 55.3 38 52 Z';

// Badge symbols, drawn in the badge circle centred at (392, 392), radius 110.
const SYMBOLS = {
  failing: "line 350,350 434,434 line 434,350 350,434",
  running: "stroke-width 0 polygon 362,336 362,448 446,392",
  needs_approval: "line 392,338 392,404 stroke-width 0 circle 392,442 392,462",
  passing: "fill none polyline 344,396 378,430 442,356",
  paused: "line 364,346 364,438 line 420,346 420,438",
};

const STATES = {
  failing: { color: '#cf222e', badge: true },
  running: { color: '#bf8700', badge: true },
  needs_approval: { color: '#8250df', badge: true },
  passing: { color: '#1a7f37', badge: true },
  offline: { color: '#6e7781', slash: true },
  paused: { color: '#6e7781', badge: true },
  idle: { color: '#57606a' },
};

function layers(state, { color, template }) {
  const spec = STATES[state];
  const ink = template ? 'black' : color;
  const args = ['-size', '512x512', 'xc:none', '-fill', ink, '-draw', `scale 8,8 path '${BELL}'`];
  const cut = (draw) => ['(', '-size', '512x512', 'xc:none', ...draw, ')', '-compose', 'DstOut', '-composite', '-compose', 'Over'];
  const over = (draw) => ['(', '-size', '512x512', 'xc:none', ...draw, ')', '-composite'];
  const symbol = (fill) => ['-fill', fill, '-stroke', fill, '-strokewidth', '36', '-draw', `stroke-linecap round stroke-linejoin round ${SYMBOLS[state]}`];
  if (spec.badge) {
    args.push(...cut(['-fill', 'black', '-draw', 'circle 392,392 392,254']));
    args.push(...over(['-fill', ink, '-draw', 'circle 392,392 392,282']));
    args.push(...(template ? cut(symbol('black')) : over(symbol('white'))));
  }
  if (spec.slash) {
    args.push(...cut(['-stroke', 'black', '-strokewidth', '96', '-draw', 'line 40,40 472,472']));
    args.push(...over(['-stroke', ink, '-strokewidth', '40', '-draw', 'stroke-linecap round line 56,56 456,456']));
  }
  return args;
}

function draw(state, size, file, options) {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('convert', [...layers(state, options), '-filter', 'Lanczos', '-resize', `${size}x${size}`, '-strip', `PNG32:${file}`]);
}

for (const state of Object.keys(STATES)) {
  const name = state.replace('_', '-');
  const { color } = STATES[state];
  draw(state, 16, path.join(here, 'tray', 'mac', `${name}Template.png`), { template: true });
  draw(state, 32, path.join(here, 'tray', 'mac', `${name}Template@2x.png`), { template: true });
  draw(state, 16, path.join(here, 'tray', 'win', `${name}.png`), { color });
  draw(state, 32, path.join(here, 'tray', 'win', `${name}@2x.png`), { color });
  draw(state, 32, path.join(here, 'tray', 'linux', `${name}.png`), { color });
}

// The app icon: a white bell on a rounded indigo square, with macOS's margin (824 of 1024).
execFileSync('convert', [
  '-size', '1024x1024', 'xc:none',
  '-fill', '#3b4cca', '-draw', 'roundrectangle 100,100 924,924 185,185',
  '(', '-size', '512x512', 'xc:none', '-fill', 'white', '-draw', `scale 8,8 path '${BELL}'`, '-resize', '600x600', ')',
  '-gravity', 'center', '-composite',
  '-strip', `PNG32:${path.join(here, '..', 'icon.png')}`,
]);
console.log('icons drawn in', here);
