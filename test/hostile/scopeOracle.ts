/**
 * Which repositories a token's scope covers, written apart from src/core/glob.ts so a bug there
 * cannot hide itself in the property tests that use this as their oracle.
 */

/** `*` is any run of characters but `/`, `?` one such character; case does not matter. */
export function oracleMatches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === v.length;
    if (p[i] === '*') {
      for (let k = j; k <= v.length; k += 1) {
        if (match(i + 1, k)) return true;
        if (v[k] === '/') break;
      }
      return false;
    }
    if (j === v.length) return false;
    if (p[i] === '?') return v[j] !== '/' && match(i + 1, j + 1);
    return p[i] === v[j] && match(i + 1, j + 1);
  };
  return match(0, 0);
}

export const oracleAllows = (scope: readonly string[], repository: string) => scope.length === 0 || scope.some((glob) => oracleMatches(glob, repository));
