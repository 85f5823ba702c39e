/**
 * The hostile corpus (issue #5): at least 300 requests a sender must not get away with, each with
 * its expected answer in corpus.json. Regenerate the listing after changing a case with
 * `UPDATE_HOSTILE_CORPUS=1 npx vitest run test/hostile/hostile.test.ts`, and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostileCorpus, listing } from './cases/index.js';
import { runHostileCorpus } from './runner.js';

const CORPUS_FILE = fileURLToPath(new URL('./corpus.json', import.meta.url));

describe('the hostile corpus', () => {
  it('is the reviewed list in corpus.json, with at least 300 cases', () => {
    const generated = listing(hostileCorpus());
    if (process.env['UPDATE_HOSTILE_CORPUS'] === '1') writeFileSync(CORPUS_FILE, `${JSON.stringify(generated, null, 1)}\n`);
    const committed = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as unknown;
    expect(generated).toEqual(committed);
    expect(generated.length).toBeGreaterThanOrEqual(300);
  });

  it('gets its expected answer for every case, stores nothing it must not, stays up and logs no credential', async () => {
    const only = process.env['HOSTILE_ONLY'];
    const report = await runHostileCorpus(only ? { only: new RegExp(only) } : {});
    console.log(`hostile corpus: ${report.passed}/${report.total} passed`);
    expect(report.failures).toEqual([]);
    expect(report.leakedInLog).toEqual([]);
    if (!only) expect(report.total).toBe(hostileCorpus().length);
  }, 240_000);
});
