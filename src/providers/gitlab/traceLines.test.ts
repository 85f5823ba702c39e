import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/support/fixtures.js';
import { gitlabTraceLines } from './traceLines.js';

const ESC = '\u001b';
const start = (name: string) => `${ESC}[0Ksection_start:1764580340:${name}\r${ESC}[0K`;
const end = (name: string) => `${ESC}[0Ksection_end:1764580371:${name}\r${ESC}[0K`;

describe('a GitLab job log, as its page shows it', () => {
  it('a recorded failed job ends with the test failure, the cleanup header and the verdict, without markers or colours', () => {
    const lines = gitlabTraceLines(fixtureText('gitlab/api/job-trace.failed.log'), { fromStart: true });
    expect(lines.slice(-7)).toEqual([
      ' FAIL  test/checkout.test.ts > applies the <b>discount</b> once &amp; only once',
      'AssertionError: expected 81 to be 90 // Object.is equality',
      ' ❯ test/checkout.test.ts:57:31',
      ' Test Files  1 failed | 1 passed (2)',
      '      Tests  1 failed | 19 passed (20)',
      'Cleaning up project directory and file based variables',
      'ERROR: Job failed: exit code 1',
    ]);
    // The cache download's progress, redrawn with carriage returns, is its last state only.
    expect(lines.filter((line) => line.startsWith('Downloading cache'))).toEqual([expect.stringMatching(/\.\.\. 100%$/)]);
    expect(lines).toContain('Restoring cache');
    for (const line of lines) expect(line).not.toMatch(/section_(start|end)|[\r\n]|\[0;?m/);
    expect(lines.join('')).not.toContain('\u001b');
  });

  it('a newer runner’s timestamps are left out and a continued line is joined to the one before', () => {
    const lines = gitlabTraceLines(fixtureText('gitlab/api/job-trace.timestamped.log'), { fromStart: true });
    expect(lines.slice(-3)).toEqual([
      "src/checkout/cart.ts(42,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      'Cleaning up project directory and file based variables',
      'ERROR: Job failed: exit code 2',
    ]);
    expect(lines.join('\n')).not.toMatch(/2026-12-01T/);
  });

  it('a tail cut at a byte count loses its first, partial line; a whole log keeps it', () => {
    expect(gitlabTraceLines('of a long line\nnext\nlast\n', { fromStart: false })).toEqual(['next', 'last']);
    expect(gitlabTraceLines('first\nnext\n', { fromStart: true })).toEqual(['first', 'next']);
    // One enormous line with no break in the tail: its end is all there is.
    expect(gitlabTraceLines('…the end of it', { fromStart: false })).toEqual(['…the end of it']);
  });

  it('a section starts a new line at its header and ends before what follows; empty lines are not shown', () => {
    expect(gitlabTraceLines(`before${start('build')}Header\nbody\n\n\r\nlast${end('build')}after`, { fromStart: true })).toEqual(['before', 'Header', 'body', 'last', 'after']);
    // Options after the name, as `[collapsed=true]`.
    expect(gitlabTraceLines(`${ESC}[0Ksection_start:1:deps[collapsed=true]\r${ESC}[0KInstalling`, { fromStart: true })).toEqual(['Installing']);
  });

  it('"\\r\\n" and "\\r\\r\\n" end a line; a lone "\\r" starts it over', () => {
    expect(gitlabTraceLines('a\r\nb\r\r\nc', { fromStart: true })).toEqual(['a', 'b', 'c']);
    expect(gitlabTraceLines('10%\r55%\r100%\ndone', { fromStart: true })).toEqual(['100%', 'done']);
    expect(gitlabTraceLines(`kept\r${ESC}[0K\n`, { fromStart: true })).toEqual(['kept']);
  });

  it('text that only looks like a marker stays text, as GitLab shows it', () => {
    expect(gitlabTraceLines('echo section_end:1:2<div>x</div>', { fromStart: true })).toEqual(['echo section_end:1:2<div>x</div>']);
  });
});
