/** Human units on the command line: durations like `7d` or `90s`, sizes like `1MiB`. */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };

/** `7d`, `12h`, `30m`, `45s`, `500ms`; a bare number is milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`${flag} takes a duration like 7d, 12h, 30m or 45s, not '${text}'`);
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!);
}

/** `1048576`, `512KiB`, `1MiB`, `2MB`. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match && SIZE_UNITS[match[2]!.toLowerCase()];
  if (!match || unit === undefined || unit === null) throw new Error(`${flag} takes a size like 1MiB, 512KiB or a number of bytes, not '${text}'`);
  return Number(match[1]) * unit;
}

/** A TCP port number. */
export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`${flag} takes a port number from 0 to 65535, not '${text}'`);
  return port;
}
