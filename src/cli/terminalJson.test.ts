import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafeJson } from './terminalJson.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('terminalSafeJson', () => {
  it('escapes C1 and bidi controls that JSON.stringify leaves raw', () => {
    expect(terminalSafeJson({ title: 'a\u009b31m\u202eb' })).toBe('{"title":"a\\u009b31m\\u202eb"}');
  });

  it('parses back to the same value and holds no control character, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const json = terminalSafeJson({ text });
      expect(json).not.toMatch(UNSAFE);
      expect(JSON.parse(json)).toEqual({ text });
    }));
  });
});
