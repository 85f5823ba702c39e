import { describe, expect, it } from 'vitest';
import { AcknowledgementBook, type AcknowledgementEntry } from './acknowledgementBook.js';
import { branchKey } from './buildTracker.js';

const MAIN = branchKey('cirrus', 'acme-web', 'main');

function word(overrides: Partial<AcknowledgementEntry> = {}): AcknowledgementEntry {
  return { provider: 'cirrus', repositoryId: 'acme-web', buildId: '1', branch: 'main', by: 'Ana', active: true, at: 100, own: false, ...overrides };
}

const names = (book: AcknowledgementBook, key = 'cirrus:1') => book.onIt(key).map((person) => person.name);

describe('AcknowledgementBook', () => {
  it('keeps one word per person, the user first and the others in the order they said it', () => {
    const book = new AcknowledgementBook();
    expect(book.record(word({ by: 'Ben', at: 120 }))).toBe(true);
    expect(book.record(word({ by: 'Ana', at: 110 }))).toBe(true);
    expect(book.record(word({ by: 'me', at: 130, own: true }))).toBe(true);
    // A renewal changes nothing anyone sees.
    expect(book.record(word({ by: 'Ana', at: 140 }))).toBe(false);
    expect(names(book)).toEqual(['me', 'Ben', 'Ana']);
    expect(book.isOwnActive('cirrus:1')).toBe(true);
    expect(book.onIt('cirrus:2')).toEqual([]);
  });

  it('removes a withdrawn word, but not for a withdrawal older than the word', () => {
    const book = new AcknowledgementBook();
    book.record(word({ by: 'Ana', at: 100 }));
    expect(book.record(word({ by: 'Ana', active: false, at: 90 }))).toBe(false);
    expect(names(book)).toEqual(['Ana']);
    expect(book.record(word({ by: 'Ana', active: false, at: 150 }))).toBe(true);
    expect(names(book)).toEqual([]);
    expect(book.record(word({ by: 'Ben', active: false, at: 160 }))).toBe(false);
  });

  it("lets the user's word held here give way to their shared one: one user, one word", () => {
    const book = new AcknowledgementBook();
    book.record(word({ by: 'you', own: true, local: true, at: 100 }));
    book.record(word({ by: 'Ana', own: false, at: 105 }));
    book.record(word({ by: 'me (laptop)', own: true, at: 110 }));
    expect(book.onIt('cirrus:1')).toEqual([
      { name: 'me (laptop)', own: true, at: 110 },
      { name: 'Ana', own: false, at: 105 },
    ]);
    expect(book.forgetLocal('cirrus:1')).toBe(false);
  });

  it("keeps the word held here apart from a relay's name, whatever a token's label says", () => {
    const book = new AcknowledgementBook();
    book.record(word({ by: 'you', own: false, at: 100 }));
    book.record(word({ by: 'you', own: true, local: true, at: 110 }));
    expect(book.onIt('cirrus:1')).toEqual([
      { name: 'you', own: true, at: 110 },
      { name: 'you', own: false, at: 100 },
    ]);
    expect(book.forgetLocal('cirrus:1')).toBe(true);
    expect(book.forgetLocal('cirrus:1')).toBe(false);
    expect(book.onIt('cirrus:1')).toEqual([{ name: 'you', own: false, at: 100 }]);
  });

  it("clears every word on the branch's builds said before a verdict, and only those", () => {
    const book = new AcknowledgementBook();
    book.record(word({ buildId: '1', by: 'Ana', at: 100 }));
    book.record(word({ buildId: '2', by: 'Ben', at: 200 }));
    book.record(word({ buildId: '3', by: 'Cy', at: 100, branch: 'feature' }));
    book.record(word({ buildId: '4', by: 'Di', at: 100, repositoryId: 'acme-api' }));
    expect(book.clearBranch(MAIN, 150)).toEqual(['cirrus:1']);
    expect(names(book, 'cirrus:1')).toEqual([]);
    // Said after the verdict: about the news, so it stands.
    expect(names(book, 'cirrus:2')).toEqual(['Ben']);
    expect(names(book, 'cirrus:3')).toEqual(['Cy']);
    expect(names(book, 'cirrus:4')).toEqual(['Di']);
    expect(book.clearBranch(MAIN, 150)).toEqual([]);
    expect(book.clearBranch(MAIN, 200)).toEqual(['cirrus:2']);
  });

  it('clears on a verdict only: a change of state to passed, failed or errored', () => {
    const book = new AcknowledgementBook();
    book.record(word({ at: 100 }));
    const build = { provider: 'cirrus' as const, repository: { id: 'acme-web', owner: 'acme', name: 'web', private: false }, branch: 'main' };
    expect(book.afterBuildChange({ ...build, state: 'running' }, true, 200)).toEqual([]);
    expect(book.afterBuildChange({ ...build, state: 'aborted' }, true, 200)).toEqual([]);
    expect(book.afterBuildChange({ ...build, state: 'failed' }, false, 200)).toEqual([]);
    expect(names(book)).toEqual(['Ana']);
    expect(book.afterBuildChange({ ...build, state: 'errored' }, true, 200)).toEqual(['cirrus:1']);
  });

  it('keeps a word for a build not seen yet and clears it by its own branch', () => {
    const book = new AcknowledgementBook();
    book.record(word({ buildId: '9', branch: null, at: 100 }));
    expect(names(book, 'cirrus:9')).toEqual(['Ana']);
    expect(book.clearBranch(branchKey('cirrus', 'acme-web', null), 100)).toEqual(['cirrus:9']);
  });

  it('forgets the builds acknowledged least recently first', () => {
    const book = new AcknowledgementBook({ maxBuilds: 2 });
    for (const buildId of ['1', '2', '3']) book.record(word({ buildId }));
    expect(names(book, 'cirrus:1')).toEqual([]);
    expect(names(book, 'cirrus:3')).toEqual(['Ana']);
  });

  it('tells providers apart: the same id on two CIs is two builds', () => {
    const book = new AcknowledgementBook();
    book.record(word({ provider: 'github', buildId: '1' }));
    expect(names(book, 'cirrus:1')).toEqual([]);
    expect(names(book, 'github:1')).toEqual(['Ana']);
  });
});
