/**
 * Just enough of PNG to read the project's own tray icons: 8-bit RGBA or RGB, not interlaced
 * (what `build/icons/draw-icons.mjs` writes with ImageMagick's `PNG32:`). Node's zlib inflates;
 * the five scanline filters are undone here. About sixty lines instead of a decoder dependency
 * (pngjs and sharp are each larger than this folder), and it reads the 14 icon files in a few
 * milliseconds at start. Anything else (a palette, 16-bit, Adam7) is refused with a message
 * naming the file, never drawn wrong.
 */
import { crc32, inflateSync } from 'node:zlib';

/** Pixels as straight (not premultiplied) RGBA, 4 bytes per pixel, row by row from the top. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_RGB = 2;
const COLOUR_RGBA = 6;

/** Decodes an 8-bit RGBA or RGB, non-interlaced PNG; `name` only names it in errors. */
export function decodePng(bytes: Buffer, name: string): RgbaImage {
  const fail = (why: string): never => {
    throw new Error(`cannot read the icon ${name}: ${why}`);
  };
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) fail('not a PNG file');
  let header: { width: number; height: number; colour: number } | undefined;
  const data: Buffer[] = [];
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (end + 4 > bytes.length) fail(`the ${type} chunk is cut off`);
    if (crc32(bytes.subarray(offset + 4, end)) !== bytes.readUInt32BE(end)) fail(`the ${type} chunk's checksum is wrong`);
    const body = bytes.subarray(offset + 8, end);
    if (type === 'IHDR') {
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || (colour !== COLOUR_RGBA && colour !== COLOUR_RGB) || interlace !== 0) {
        fail(`only 8-bit RGBA or RGB without interlacing is supported (bit depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      }
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), colour: colour! };
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset = end + 4;
  }
  if (!header) return fail('no IHDR chunk');
  const channels = header.colour === COLOUR_RGBA ? 4 : 3;
  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  if (raw.length < header.height * (stride + 1)) fail('the image data is shorter than its size says');
  const pixels = unfilter(raw, header.height, stride, channels, fail);
  return { width: header.width, height: header.height, rgba: channels === 4 ? pixels : withOpaqueAlpha(pixels) };
}

/** Undoes the per-row filters (None, Sub, Up, Average, Paeth) into one buffer without filter bytes. */
function unfilter(raw: Buffer, height: number, stride: number, bpp: number, fail: (why: string) => never): Buffer {
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[row + x - bpp]! : 0;
      const up = y > 0 ? out[row - stride + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[row - stride + x - bpp]! : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else return fail(`unknown scanline filter ${filter} in row ${y}`);
      out[row + x] = (line[x]! + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function withOpaqueAlpha(rgb: Buffer): Buffer {
  const rgba = Buffer.alloc((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]!;
    rgba[j + 1] = rgb[i + 1]!;
    rgba[j + 2] = rgb[i + 2]!;
    rgba[j + 3] = 0xff;
  }
  return rgba;
}
