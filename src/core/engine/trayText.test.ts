import { describe, expect, it } from 'vitest';
import { acknowledgementWords, onItLine } from './trayText.js';

const them = (...names: string[]) => names.map((name) => ({ name, own: false }));
const you = { name: 'ana@laptop', own: true };

describe('onItLine', () => {
  it.each([
    [[], null],
    [them('Ana'), 'Ana is on it'],
    [them('Ana', 'Ben'), 'Ana and Ben are on it'],
    [them('Ana', 'Ben', 'Cy'), 'Ana and 2 others are on it'],
    [[you], "You're on it"],
    [[you, ...them('Ben')], 'You and Ben are on it'],
    [[you, ...them('Ben', 'Cy', 'Di')], 'You and 3 others are on it'],
  ])('%j reads %j', (people, line) => {
    expect(onItLine(people)).toBe(line);
  });

  it('cleans a name and cuts a long one; a name cleaned to nothing is "someone"', () => {
    expect(onItLine(them('\u001b]0;pwned\u0007Ana\nBen\u202e'))).toBe('Ana Ben is on it');
    expect(onItLine(them('\u0000\u202e'))).toBe('someone is on it');
    expect(onItLine(them('x'.repeat(200)))).toBe(`${'x'.repeat(39)}… is on it`);
  });

  it('never calls someone else "You"', () => {
    expect(onItLine(them('You'))).toBe('You is on it');
  });
});

describe('acknowledgementWords', () => {
  it('says a word and its withdrawal, the user as "You"', () => {
    expect(acknowledgementWords({ name: 'Ana', own: false }, true)).toBe('Ana is on it');
    expect(acknowledgementWords({ name: 'Ana', own: false }, false)).toBe('Ana is not on it any more');
    expect(acknowledgementWords(you, true)).toBe("You're on it");
    expect(acknowledgementWords(you, false)).toBe("You're not on it any more");
  });
});
