import { describe, expect, it } from 'vitest';
import { detail } from '../../../test/support/engineEvents.js';
import type { FailureDetail } from '../failureDetail.js';
import { failureLines, NOTIFICATION_FAILURE_LINES } from './failureLines.js';

function lines(provider: 'cirrus' | 'github' | 'gitlab', fields: Partial<FailureDetail>, state: 'failed' | 'passed' = 'failed') {
  return failureLines(
    { provider, state, failure: { taskId: '1', taskName: 'Unit tests', taskUrl: 'https://cirrus-ci.com/task/1', detail: detail(fields) } },
    NOTIFICATION_FAILURE_LINES,
  );
}

describe('failureLines', () => {
  it('names the task, the command and the last three log lines for Cirrus', () => {
    expect(lines('cirrus', { step: 'test', logTail: ['one', 'two', 'three', 'FAIL src/app.test.ts', ''] })).toEqual([
      'Unit tests: command “test” failed',
      '> two',
      '> three',
      '> FAIL src/app.test.ts',
    ]);
  });

  it('names the step and the first annotation for GitHub', () => {
    expect(lines('github', { step: 'Run npm test', annotation: { message: 'Expected 2\nReceived 3', path: 'src/a.ts', line: 12 } })).toEqual([
      'Unit tests: step “Run npm test” failed',
      'src/a.ts:12: Expected 2',
    ]);
  });

  it("says GitLab's reason in words", () => {
    expect(lines('gitlab', { reason: 'script_failure' })).toEqual(['Unit tests: script failure']);
  });

  it('cleans escape sequences and control characters out of every line and keeps markup as text', () => {
    const out = lines('cirrus', { step: 'te\u001b]0;owned\u0007st', logTail: ['\u001b[31mred <b>bold</b> & co\u001b[0m', 'tab\there\u202e'] });
    expect(out).toEqual(['Unit tests: command “test” failed', '> red <b>bold</b> & co', '> tab here']);
  });

  it('says nothing for a build that did not fail, or when nothing is known', () => {
    expect(lines('cirrus', { step: 'test' }, 'passed')).toEqual([]);
    expect(failureLines({ provider: 'cirrus', state: 'failed', failure: null }, NOTIFICATION_FAILURE_LINES)).toEqual([]);
  });
});
