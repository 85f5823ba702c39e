/**
 * JSON parsing that keeps every integer exact. `JSON.parse` turns an integer literal past 2^53
 * into the nearest double, so a Cirrus id like 9007199254740993 would silently become another
 * build. Here such literals are quoted before parsing, so they arrive as strings, digit for digit;
 * safe integers and every other value parse exactly as `JSON.parse` would.
 */

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length; // 16

/** Parses JSON text; integers beyond Number.MAX_SAFE_INTEGER come back as decimal strings. */
export function parseJsonLosslessly(text: string): unknown {
  try {
    return JSON.parse(quoteUnsafeIntegers(text));
  } catch (error) {
    throw new JsonSyntaxError(error instanceof Error ? error.message : String(error));
  }
}

function quoteUnsafeIntegers(text: string): string {
  // Fast path: no run of 16 digits anywhere means nothing can be unsafe.
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      const end = numberEnd(text, i);
      const literal = text.slice(i, end);
      if (isUnsafeInteger(literal)) {
        out += text.slice(copiedUpTo, i) + '"' + literal + '"';
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i += 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index just past the closing quote of the string starting at `start` (or the text's end). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 2;
    else if (ch === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

function numberEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && /[0-9eE.+-]/.test(text[i]!)) i += 1;
  return i;
}

function isUnsafeInteger(literal: string): boolean {
  if (!/^-?(0|[1-9]\d*)$/.test(literal)) return false;
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length;
  if (digits < MAX_SAFE_DIGITS) return false;
  return !Number.isSafeInteger(Number(literal));
}
