import { describe, expect, it } from 'vitest';
import { githubConclusionSchema, githubJobState, githubRunState } from './status.js';

describe('GitHub statuses to normalised states', () => {
  it.each([
    ['requested', null, 'queued'],
    ['queued', null, 'queued'],
    ['pending', null, 'queued'],
    ['in_progress', null, 'running'],
    ['waiting', null, 'needs_approval'],
    ['action_required', null, 'needs_approval'],
  ] as const)('%s is %s', (status, conclusion, state) => {
    expect(githubRunState(status, conclusion)).toBe(state);
    expect(githubJobState(status, conclusion)).toBe(state);
  });

  it.each([
    ['success', 'passed', 'passed'],
    ['neutral', 'passed', 'passed'],
    ['failure', 'failed', 'failed'],
    ['timed_out', 'failed', 'failed'],
    ['cancelled', 'aborted', 'aborted'],
    ['stale', 'aborted', 'aborted'],
    ['action_required', 'needs_approval', 'needs_approval'],
    ['startup_failure', 'errored', 'errored'],
    // A skipped job is skipped; a skipped run ran nothing and must not count as a branch outcome.
    ['skipped', 'aborted', 'skipped'],
  ] as const)('completed with %s: run %s, job %s', (conclusion, runState, jobState) => {
    expect(githubRunState('completed', conclusion)).toBe(runState);
    expect(githubJobState('completed', conclusion)).toBe(jobState);
  });

  it('maps every conclusion GitHub documents', () => {
    for (const conclusion of githubConclusionSchema.options) expect(githubJobState('completed', conclusion)).toBeTruthy();
  });

  it('counts a completed job without a conclusion as errored rather than guessing', () => {
    expect(githubJobState('completed', null)).toBe('errored');
  });
});
