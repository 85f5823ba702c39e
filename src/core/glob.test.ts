import { describe, expect, it } from 'vitest';
import { matchesAnyGlob, matchesGlob } from './glob.js';

describe('matchesGlob', () => {
  it.each([
    ['acme/*', 'acme/web', true],
    ['acme/*', 'ACME/Web', true],
    ['acme/*', 'acme2/web', false],
    ['acme/*', 'acme/web/extra', false],
    ['acme/web', 'acme/web', true],
    ['acme/web', 'acme/webapp', false],
    ['*/*', 'anyone/anything', true],
    ['release/**', 'release/1.2/hotfix', true],
    ['release/*', 'release/1.2/hotfix', false],
    ['a.b/c', 'aXb/c', false],
    ['v?', 'v1', true],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(matchesGlob(pattern, value)).toBe(expected);
  });

  it('an empty list matches nothing', () => {
    expect(matchesAnyGlob([], 'acme/web')).toBe(false);
    expect(matchesAnyGlob(['x/*', 'acme/*'], 'acme/web')).toBe(true);
  });
});
