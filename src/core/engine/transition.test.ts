import { describe, expect, it } from 'vitest';
import type { BuildState } from '../event.js';
import { DEFAULT_TRANSITION_TOGGLES, detectTransition, transitionSchema, type BranchOutcomeState, type Transition } from './transition.js';

describe('detectTransition', () => {
  it.each<[BuildState | undefined, BuildState, BranchOutcomeState | undefined, Transition | null]>([
    ['queued', 'running', undefined, 'started'],
    [undefined, 'running', undefined, 'started'],
    ['needs_approval', 'running', undefined, 'started'],
    ['failed', 'running', 'failed', 'started'],
    ['running', 'passed', undefined, 'passed'],
    ['running', 'passed', 'passed', 'passed'],
    ['running', 'passed', 'failed', 'fixed'],
    ['running', 'passed', 'errored', 'fixed'],
    ['running', 'failed', undefined, 'failed'],
    ['running', 'failed', 'passed', 'failed'],
    ['running', 'failed', 'failed', 'still_failing'],
    ['running', 'failed', 'errored', 'still_failing'],
    ['queued', 'needs_approval', undefined, 'needs_approval'],
    [undefined, 'needs_approval', 'failed', 'needs_approval'],
    ['running', 'aborted', 'failed', 'aborted'],
    ['queued', 'errored', undefined, 'errored'],
    ['running', 'errored', 'failed', 'errored'],
    [undefined, 'queued', undefined, null],
    ['needs_approval', 'queued', undefined, null],
    ['running', 'running', undefined, null],
    ['failed', 'failed', 'failed', null],
  ])('%s → %s after a branch outcome of %s is %s', (before, after, branchBefore, expected) => {
    expect(detectTransition(before, after, branchBefore)).toBe(expected);
  });
});

describe('DEFAULT_TRANSITION_TOGGLES', () => {
  it('announces what asks the user to act and keeps routine changes quiet', () => {
    const on = transitionSchema.options.filter((transition) => DEFAULT_TRANSITION_TOGGLES[transition]);
    expect(on).toEqual(['failed', 'fixed', 'still_failing', 'needs_approval', 'errored']);
  });
});
