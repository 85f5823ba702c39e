import { describe, expect, it } from 'vitest';
import { buildEvent, detail } from '../../../test/support/engineEvents.js';
import type { TaskFailure } from '../failureDetail.js';
import { BuildTracker } from './buildTracker.js';

function failure(taskId: string, fields: Parameters<typeof detail>[0] = {}): TaskFailure {
  return { taskId, taskName: `task ${taskId}`, taskUrl: `https://cirrus-ci.com/task/${taskId}`, detail: detail(fields) };
}

describe('what a tracked build knows of its failure', () => {
  it('takes the detail a failed task event carries', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ state: 'running', task: { id: 't1', name: 'lint', state: 'failed', detail: detail({ step: 'Run eslint' }) } }));
    expect(tracker.get('cirrus:1')?.failure).toMatchObject({ taskId: 't1', taskName: 'lint', detail: { step: 'Run eslint' } });
  });

  it('merges pieces about the same task and keeps the first failed task when two are known', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ state: 'running', task: { id: 't1', name: 'lint', state: 'failed' } }));
    tracker.apply(buildEvent({ state: 'running', task: { id: 't2', name: 'test', state: 'failed' } }));
    tracker.apply(buildEvent({ state: 'failed' }));
    expect(tracker.attachFailure('cirrus:1', failure('t2', { logTail: ['boom'] }))?.failure?.taskId).toBe('t2');
    // t1 comes first in the build: its failure is the one to explain.
    expect(tracker.attachFailure('cirrus:1', failure('t1', { step: 'eslint' }))?.failure?.taskId).toBe('t1');
    expect(tracker.attachFailure('cirrus:1', failure('t2', { step: 'test' }))).toBeUndefined();
    expect(tracker.attachFailure('cirrus:1', failure('t1', { annotation: { message: 'no', path: 'a.ts', line: 3 } }))?.failure?.detail)
      .toEqual(detail({ step: 'eslint', annotation: { message: 'no', path: 'a.ts', line: 3 } }));
    // Nothing new: no change, so nothing to update.
    expect(tracker.attachFailure('cirrus:1', failure('t1', { step: 'eslint' }))).toBeUndefined();
  });

  it('refuses detail about a task that passed, about an unknown build and about a build that is not failed', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ state: 'failed', task: { id: 't1', name: 'lint', state: 'passed' } }));
    expect(tracker.attachFailure('cirrus:1', failure('t1', { step: 'x' }))).toBeUndefined();
    expect(tracker.attachFailure('cirrus:9', failure('t1', { step: 'x' }))).toBeUndefined();
    tracker.apply(buildEvent({ buildId: '2', state: 'running' }));
    expect(tracker.attachFailure('cirrus:2', failure('t1', { step: 'x' }))).toBeUndefined();
  });

  it('takes detail about a task it never saw when it knows none of the failed ones (a polled GitHub run)', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ provider: 'github', state: 'failed' }));
    expect(tracker.attachFailure('github:1', failure('99', { step: 'Run tests' }))?.failure?.taskId).toBe('99');
  });

  it('forgets the failure when a re-run begins', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ state: 'failed', task: { id: 't1', name: 'lint', state: 'failed', detail: detail({ step: 'eslint' }) } }));
    expect(tracker.get('cirrus:1')?.failure).not.toBeNull();
    tracker.apply(buildEvent({ state: 'running', previousStatus: 'FAILED' }));
    expect(tracker.get('cirrus:1')?.state).toBe('running');
    expect(tracker.get('cirrus:1')?.failure).toBeNull();
  });

  it('reports a detail arriving with a task event as task news', () => {
    const tracker = new BuildTracker();
    tracker.apply(buildEvent({ state: 'failed', task: { id: 't1', name: 'lint', state: 'failed' } }));
    const result = tracker.apply(buildEvent({ state: 'failed', task: { id: 't1', name: 'lint', state: 'failed', detail: detail({ step: 'eslint' }) } }));
    expect(result).toMatchObject({ kind: 'applied', tasksChanged: true });
  });
});
