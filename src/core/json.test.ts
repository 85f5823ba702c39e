import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonLosslessly } from './json.js';

describe('parseJsonLosslessly', () => {
  it('keeps integers past 2^53 digit for digit, as strings', () => {
    const parsed = parseJsonLosslessly('{"id": 9007199254740993, "big": -123456789012345678901}') as Record<string, unknown>;
    expect(parsed['id']).toBe('9007199254740993');
    expect(parsed['big']).toBe('-123456789012345678901');
  });

  it('leaves safe integers, decimals and strings that look like numbers alone', () => {
    const text = '{"id":5082236150611968,"t":1722406690000,"f":12345678901234567.5,"s":"12345678901234567890","e":1e400}';
    const parsed = parseJsonLosslessly(text) as Record<string, unknown>;
    expect(parsed['id']).toBe(5082236150611968);
    expect(parsed['t']).toBe(1722406690000);
    expect(parsed['f']).toBe(Number('12345678901234567.5'));
    expect(parsed['s']).toBe('12345678901234567890');
    expect(parsed['e']).toBe(Infinity);
  });

  it('is not fooled by escaped quotes inside strings', () => {
    const parsed = parseJsonLosslessly('["a\\"12345678901234567890", 12345678901234567890]') as unknown[];
    expect(parsed).toEqual(['a"12345678901234567890', '12345678901234567890']);
  });

  it('parses exactly like JSON.parse when nothing is unsafe', () => {
    const text = JSON.stringify({ a: [1, 2, { b: null, c: true }], d: 'x' });
    expect(parseJsonLosslessly(text)).toEqual(JSON.parse(text));
  });

  it('throws a JsonSyntaxError on text that is not JSON', () => {
    expect(() => parseJsonLosslessly('{"a": 1')).toThrow(JsonSyntaxError);
    expect(() => parseJsonLosslessly('{"a": 12345678901234567890')).toThrow(JsonSyntaxError);
  });
});
