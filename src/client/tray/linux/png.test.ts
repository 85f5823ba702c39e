import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng } from './png.js';

/** A PNG written the long way, each row with the filter given, so every filter is undone at least once. */
function encodePng(width: number, height: number, pixels: Buffer, channels: 3 | 4, filters: readonly number[], interlace = 0): Buffer {
  const stride = width * channels;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length]!;
    const row = Buffer.alloc(stride + 1);
    row[0] = filter;
    for (let x = 0; x < stride; x++) {
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 ? 0 : pixels[yy * stride + xx]!);
      const [a, b, c] = [at(y, x - channels), at(y - 1, x), at(y - 1, x - channels)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      row[x + 1] = (at(y, x) - predicted) & 0xff;
    }
    rows.push(row);
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, channels === 4 ? 6 : 2, 0, 0, interlace], 8);
  const idat = deflateSync(Buffer.concat(rows));
  // Split the data over two IDAT chunks, as encoders may.
  const half = Math.floor(idat.length / 2);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat.subarray(0, half)),
    chunk('IDAT', idat.subarray(half)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('decodePng', () => {
  it('undoes every scanline filter of an RGBA image', () => {
    const pixels = noise(7 * 5 * 4, 1);
    const image = decodePng(encodePng(7, 5, pixels, 4, [0, 1, 2, 3, 4]), 'noise.png');
    expect({ width: image.width, height: image.height }).toEqual({ width: 7, height: 5 });
    expect(image.rgba.equals(pixels)).toBe(true);
  });

  it('reads RGB as opaque RGBA', () => {
    const pixels = noise(3 * 2 * 3, 2);
    const image = decodePng(encodePng(3, 2, pixels, 3, [4, 3]), 'rgb.png');
    expect([...image.rgba.subarray(0, 8)]).toEqual([pixels[0], pixels[1], pixels[2], 255, pixels[3], pixels[4], pixels[5], 255]);
  });

  it('refuses what it cannot read, naming the file', () => {
    expect(() => decodePng(Buffer.from('GIF89a'), 'x.gif')).toThrow('cannot read the icon x.gif: not a PNG file');
    expect(() => decodePng(encodePng(2, 2, noise(16, 3), 4, [0], 1), 'adam7.png')).toThrow(/adam7\.png: only 8-bit RGBA or RGB without interlacing/);
    const corrupt = encodePng(2, 2, noise(16, 3), 4, [0]);
    corrupt[20] = corrupt[20]! ^ 0xff;
    expect(() => decodePng(corrupt, 'bad.png')).toThrow(/bad\.png: the IHDR chunk's checksum is wrong/);
  });
});
