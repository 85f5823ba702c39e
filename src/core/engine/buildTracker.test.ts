import { describe, expect, it } from 'vitest';
import { buildEvent } from '../../../test/support/engineEvents.js';
import { BuildTracker } from './buildTracker.js';

function applied(tracker: BuildTracker, ...args: Parameters<typeof buildEvent>) {
  const result = tracker.apply(buildEvent(...args));
  if (result.kind !== 'applied') throw new Error('expected the event to be applied');
  return result;
}

describe('BuildTracker', () => {
  it('keeps the latest state, repository, branch, title, initiator and url of a build', () => {
    const tracker = new BuildTracker();
    applied(tracker, { state: 'queued' });
    const result = applied(tracker, { state: 'running', branch: 'main', title: 'Add login', initiator: 'bob', at: 2_000 });
    expect(result.stateChanged).toBe(true);
    expect(result.before?.state).toBe('queued');
    expect(result.after).toMatchObject({
      key: 'cirrus:1',
      slug: 'acme/web',
      branch: 'main',
      title: 'Add login',
      initiator: 'bob',
      url: 'https://cirrus-ci.com/build/1',
      state: 'running',
      status: 'EXECUTING',
      updatedAt: 2_000,
    });
  });

  it('drops a second delivery of the same event id', () => {
    const tracker = new BuildTracker();
    const event = buildEvent({ state: 'failed' });
    expect(tracker.apply(event).kind).toBe('applied');
    expect(tracker.apply(event)).toEqual({ kind: 'duplicate' });
  });

  it.each([
    ['a late running after failed is ignored', 'failed', { state: 'running' as const }, 'failed'],
    ['a late queued after running is ignored', 'running', { state: 'queued' as const }, 'running'],
    ['a re-run (previous status is the known final one) is taken', 'failed', { state: 'running' as const, previousStatus: 'FAILED' }, 'running'],
    ['a final state replaces a running one', 'running', { state: 'passed' as const }, 'passed'],
    ['between final states the later arrival wins', 'failed', { state: 'passed' as const }, 'passed'],
    ['needs approval may follow queued', 'queued', { state: 'needs_approval' as const }, 'needs_approval'],
  ] as const)('%s', (_name, known, incoming, expected) => {
    const tracker = new BuildTracker();
    applied(tracker, { state: known });
    const result = applied(tracker, incoming);
    expect(result.after.state).toBe(expected);
    expect(result.stateChanged).toBe(expected !== known);
  });

  it('keeps each task by id at its latest state, and never moves a finished task back', () => {
    const tracker = new BuildTracker();
    applied(tracker, { state: 'running', task: { id: 't1', name: 'lint', state: 'running' } });
    applied(tracker, { state: 'running', task: { id: 't2', name: 'test', state: 'running' } });
    applied(tracker, { state: 'running', task: { id: 't1', name: 'lint', state: 'failed' } });
    const late = applied(tracker, { state: 'running', task: { id: 't1', name: 'lint', state: 'running' } });
    expect(late.tasksChanged).toBe(false);
    expect(late.after.tasks.map((task) => [task.name, task.state])).toEqual([
      ['lint', 'failed'],
      ['test', 'running'],
    ]);
  });

  it('takes the build state a task event carries, under the same ordering rule', () => {
    const tracker = new BuildTracker();
    applied(tracker, { state: 'failed' });
    const result = applied(tracker, { state: 'running', task: { id: 't1', name: 'lint', state: 'failed' } });
    expect(result.after.state).toBe('failed');
    expect(result.stateChanged).toBe(false);
    expect(result.tasksChanged).toBe(true);
  });

  it('reports the branch outcome before the change, from the previous finished build', () => {
    const tracker = new BuildTracker();
    applied(tracker, { buildId: '1', state: 'failed' });
    applied(tracker, { buildId: '2', state: 'aborted' });
    expect(applied(tracker, { buildId: '3', state: 'passed' }).branchBefore).toBe('failed');
    expect(applied(tracker, { buildId: '4', state: 'passed', branch: 'dev' }).branchBefore).toBeUndefined();
    expect(applied(tracker, { buildId: '5', state: 'failed' }).branchBefore).toBe('passed');
    expect(tracker.branchOutcomes().map((outcome) => [outcome.branch, outcome.state])).toEqual([
      ['dev', 'passed'],
      ['main', 'failed'],
    ]);
  });

  it('forgets the least recently updated build beyond its bound', () => {
    const tracker = new BuildTracker({ maxBuilds: 2 });
    applied(tracker, { buildId: '1', state: 'running', at: 1 });
    applied(tracker, { buildId: '2', state: 'running', at: 2 });
    applied(tracker, { buildId: '1', state: 'passed', at: 3 });
    applied(tracker, { buildId: '3', state: 'running', at: 4 });
    expect(tracker.get('cirrus:2')).toBeUndefined();
    expect(tracker.builds().map((build) => build.id)).toEqual(['3', '1']);
  });

  it('forgets old event ids beyond its bound, so memory stays flat', () => {
    const tracker = new BuildTracker({ maxEventIds: 2 });
    const first = buildEvent({ state: 'queued' });
    tracker.apply(first);
    tracker.apply(buildEvent({ state: 'queued' }));
    tracker.apply(buildEvent({ state: 'queued' }));
    expect(tracker.apply(first).kind).toBe('applied');
  });

  it('a retriggered build lists each task once: a new task takes the place of the earlier attempt\'s of the same name', () => {
    const tracker = new BuildTracker();
    applied(tracker, { state: 'running', task: { id: 'a1', name: 'lint', state: 'failed' } });
    applied(tracker, { state: 'running', task: { id: 'b1', name: 'test', state: 'passed' } });
    applied(tracker, { state: 'failed' });
    const retriggered = applied(tracker, { state: 'queued', previousStatus: 'FAILED' });
    expect(retriggered.newAttempt).toBe(true);
    expect(retriggered.after.tasks.map((task) => task.id)).toEqual(['b1']);
    applied(tracker, { state: 'running', task: { id: 'a2', name: 'lint', state: 'running' } });
    const replaced = applied(tracker, { state: 'running', task: { id: 'b2', name: 'test', state: 'running' } });
    expect(replaced.newAttempt).toBe(true);
    expect(replaced.after.tasks.map((task) => `${task.id}:${task.state}`)).toEqual(['b2:running', 'a2:running']);
  });

  it('two running tasks of one name in a first attempt are both kept', () => {
    const tracker = new BuildTracker();
    applied(tracker, { state: 'running', task: { id: 'a', name: 'test', state: 'passed' } });
    const second = applied(tracker, { state: 'running', task: { id: 'b', name: 'test', state: 'running' } });
    expect(second.newAttempt).toBe(false);
    expect(second.after.tasks.map((task) => task.id)).toEqual(['a', 'b']);
  });
});
