/**
 * Compares a simulated delivery with a real one the way a consumer would notice a difference:
 * every field the real one has, the simulated one has too, with a value of the same JSON type
 * (null on either side matches anything: real deliveries leave out what has not happened yet).
 * Arrays compare their first elements. Used against the project's own fixtures in `npm test` and
 * against the real payloads in `npm run test:conformance`.
 */

/** Every way `simulated` lacks or mistypes a field of `real`, as `path: problem` lines; empty when alike. */
export function shapeDifferences(real: unknown, simulated: unknown, at = '(root)'): string[] {
  if (real === null || real === undefined || simulated === null || simulated === undefined) return [];
  if (bigId(real, simulated) || bigId(simulated, real)) return [];
  if (jsonType(real) !== jsonType(simulated)) return [`${at}: ${jsonType(simulated)}, real ${jsonType(real)}`];
  if (Array.isArray(real)) {
    const sim = simulated as unknown[];
    return real.length > 0 && sim.length > 0 ? shapeDifferences(real[0], sim[0], `${at}[0]`) : [];
  }
  if (typeof real !== 'object') return [];
  const sim = simulated as Record<string, unknown>;
  return Object.entries(real as Record<string, unknown>).flatMap(([key, value]) =>
    key in sim ? shapeDifferences(value, sim[key], at === '(root)' ? key : `${at}.${key}`) : [`${at === '(root)' ? key : `${at}.${key}`}: missing`],
  );
}

function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Ids past 2^53 arrive as digit strings from the lossless parse: on the wire they are numbers too. */
function bigId(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'string' && /^\d{16,}$/.test(b);
}
