import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayLine, displayLines, isDisplaySafe } from './displayText.js';

describe('displayLine', () => {
  it.each([
    ['sets the window title', 'fix \u001b]0;pwned\u0007build', 'fix build'],
    ['writes the clipboard', 'a\u001b]52;c;ZWNobyBoaQ==\u001b\\b', 'ab'],
    ['disguises a link', '\u001b]8;;https://evil.example\u001b\\main\u001b]8;;\u001b\\', 'main'],
    ['colours and moves the cursor', '\u001b[31mred\u001b[0m\u001b[2J\u001b[H', 'red'],
    ['uses an 8-bit CSI', 'a\u009b2Jb', 'ab'],
    ['hides a NUL', 'Lint\u0000 (eslint)', 'Lint (eslint)'],
    ['forges a second line', 'title\n✓ acme/web passed', 'title ✓ acme/web passed'],
    ['reverses with a bidi override', 'ma\u202eni', 'ma ni'],
    ['carries a lone surrogate', 'a\ud800b', 'a b'],
  ])('removes what %s', (_what, input, expected) => {
    expect(displayLine(input)).toBe(expected);
  });

  it('keeps ordinary text, emoji and other scripts as they are', () => {
    expect(displayLine('feat: 日本語 ✨ über naïve 👩‍💻')).toBe('feat: 日本語 ✨ über naïve 👩‍💻');
  });

  it('cuts long text with an ellipsis, counting characters not UTF-16 units', () => {
    expect(displayLine('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });

  it('leaves no control, bidi or escape character in anything', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (input) => isDisplaySafe(displayLine(input))), { numRuns: 2000 });
  });
});

describe('displayLines', () => {
  it('keeps the last lines of a log, each cleaned', () => {
    expect(displayLines('one\r\ntwo\n\u001b[31mthree\u001b[0m\n\nfour', 2)).toEqual(['three', 'four']);
  });
});
