import { describe, expect, it } from 'vitest';
import type { TaskState } from '../event.js';
import type { TrackedBuild } from './buildTracker.js';
import { buildKeyOfNotification, describeBuildNotification, failedTasksLine } from './notificationContent.js';
import type { Transition } from './transition.js';

function build(overrides: Partial<TrackedBuild> = {}, tasks: Array<[string, TaskState]> = []): TrackedBuild {
  return {
    key: 'cirrus:42',
    provider: 'cirrus',
    id: '42',
    repository: { id: 'r1', owner: 'acme', name: 'web', private: false },
    slug: 'acme/web',
    branch: 'main',
    title: 'Fix the login page\n\nLonger explanation.',
    initiator: 'alice',
    url: 'https://cirrus-ci.com/build/42',
    status: 'FAILED',
    state: 'failed',
    tasks: tasks.map(([name, state], i) => ({ id: `t${i}`, name, status: state, state, url: `https://cirrus-ci.com/task/t${i}` })),
    updatedAt: 1,
    ...overrides,
  };
}

describe('describeBuildNotification', () => {
  it.each<[Transition, Partial<TrackedBuild>, string, 'critical' | 'normal', string[]]>([
    ['failed', {}, '✗ acme/web · main failed', 'critical', ['rerun', 'acknowledge']],
    ['still_failing', {}, '✗ acme/web · main still failing', 'critical', ['rerun', 'acknowledge']],
    ['errored', { state: 'errored' }, '⚠ acme/web · main errored', 'critical', ['acknowledge']],
    ['fixed', { state: 'passed' }, '✓ acme/web · main fixed', 'normal', []],
    ['passed', { state: 'passed' }, '✓ acme/web · main passed', 'normal', []],
    ['needs_approval', { state: 'needs_approval' }, 'acme/web · main needs approval', 'normal', ['approve']],
    ['started', { state: 'running' }, '▶ acme/web · main started', 'normal', []],
    ['aborted', { state: 'aborted' }, '■ acme/web · main aborted', 'normal', []],
    ['failed', { branch: null }, '✗ acme/web failed', 'critical', ['rerun', 'acknowledge']],
  ])('%s %o reads "%s"', (transition, overrides, title, urgency, actions) => {
    const intent = describeBuildNotification(build(overrides), transition, { actionsAvailable: true });
    expect(intent.title).toBe(title);
    expect(intent.urgency).toBe(urgency);
    expect(intent.actions.map((action) => action.id)).toEqual(actions);
    expect(intent.key).toBe('build:cirrus:42');
  });

  it('offers no buttons when no write actions are configured', () => {
    const intent = describeBuildNotification(build({ state: 'needs_approval' }), 'needs_approval', { actionsAvailable: false });
    expect(intent.actions).toEqual([]);
    expect(describeBuildNotification(build(), 'failed', { actionsAvailable: false }).actions.map((action) => action.id)).toEqual(['acknowledge']);
  });

  it('says the commit subject, who started it and which tasks failed', () => {
    const tasks: Array<[string, TaskState]> = [['lint', 'failed'], ['test', 'passed'], ['test-arm', 'failed']];
    const intent = describeBuildNotification(build({}, tasks), 'failed', { actionsAvailable: true });
    expect(intent.body).toBe('Fix the login page\nby alice\n2 of 3 tasks failed: lint, test-arm');
    expect(intent.url).toBe('https://cirrus-ci.com/build/42');
  });

  it('opens the failed task when exactly one task failed', () => {
    const intent = describeBuildNotification(build({}, [['lint', 'passed'], ['test', 'failed']]), 'failed', { actionsAvailable: true });
    expect(intent.url).toBe('https://cirrus-ci.com/task/t1');
  });

  it('leaves out what is not known', () => {
    const intent = describeBuildNotification(build({ title: null, initiator: null }), 'failed', { actionsAvailable: true });
    expect(intent.body).toBe('');
  });

  it('lists at most three failed task names', () => {
    const tasks: Array<[string, TaskState]> = ['a', 'b', 'c', 'd', 'e'].map((name) => [name, 'failed']);
    expect(failedTasksLine(build({}, tasks))).toBe('5 of 5 tasks failed: a, b, c and 2 more');
  });

  it.each([
    ['cirrus', '1 of 2 tasks failed: lint', 'Re-run failed tasks'],
    ['github', '1 of 2 jobs failed: lint', 'Re-run failed jobs'],
    ['gitlab', '1 of 2 jobs failed: lint', 'Re-run failed jobs'],
  ] as const)('speaks %s\'s own words', (provider, line, button) => {
    const failed = build({ provider, key: `${provider}:42` }, [['lint', 'failed'], ['test', 'passed']]);
    const intent = describeBuildNotification(failed, 'failed', { actionsAvailable: true });
    expect(intent.body).toContain(line);
    expect(intent.actions).toEqual([{ id: 'rerun', label: button }, { id: 'acknowledge', label: "I'm on it" }]);
  });

  it('offers "I\'m on it" on a failure without a token, and says who is on it beside who started it', () => {
    const intent = describeBuildNotification(build({}, [['lint', 'failed']]), 'failed', {
      actionsAvailable: false,
      onIt: [{ name: 'Ana', own: false }, { name: 'Ben', own: false }],
    });
    expect(intent.actions).toEqual([{ id: 'acknowledge', label: "I'm on it" }]);
    expect(intent.body.split('\n')).toEqual(['Fix the login page', 'by alice · Ana and Ben are on it', '1 of 1 task failed: lint']);
  });

  it('offers to take it back once the user is on it, and no such button on a pass', () => {
    const onIt = [{ name: 'me', own: true }];
    expect(describeBuildNotification(build(), 'failed', { actionsAvailable: false, onIt }).actions).toEqual([{ id: 'withdraw', label: "I'm not on it any more" }]);
    expect(describeBuildNotification(build(), 'failed', { actionsAvailable: false, onIt }).body).toContain("You're on it");
    expect(describeBuildNotification(build({ state: 'passed' }), 'fixed', { actionsAvailable: false, onIt }).actions).toEqual([]);
  });

  it('cleans a hostile name: no line forged, no control or bidi character', () => {
    const intent = describeBuildNotification(build({ title: null, initiator: null }), 'failed', {
      actionsAvailable: false,
      onIt: [{ name: 'Ana\n3 of 3 tasks passed\u202e\u001b]0;x\u0007', own: false }],
    });
    expect(intent.body).toBe('Ana 3 of 3 tasks passed is on it');
  });

  it('cleans payload text, so a newline in a name cannot forge a body line', () => {
    const intent = describeBuildNotification(
      build({ slug: 'acme/\u202eweb', branch: 'main\u001b]0;pwned\u0007', initiator: 'mallory\n3 of 3 tasks passed' }, [['lint\u0000', 'failed']]),
      'failed',
      { actionsAvailable: false },
    );
    expect(intent.title).toBe('✗ acme/ web · main failed');
    expect(intent.body.split('\n')).toEqual(['Fix the login page', 'by mallory 3 of 3 tasks passed', '1 of 1 task failed: lint']);
  });

  it('cuts a long title by characters, never inside an emoji (half of one is not valid UTF-8)', () => {
    const intent = describeBuildNotification(build({ title: `${'x'.repeat(118)}😀😀😀` }), 'failed', { actionsAvailable: false });
    const subject = intent.body.split('\n')[0]!;
    expect(subject).toBe(`${'x'.repeat(118)}😀…`);
    expect(subject).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('finds the build key in a build notification key only', () => {
    expect(buildKeyOfNotification('build:cirrus:42')).toBe('cirrus:42');
    expect(buildKeyOfNotification('summary:burst')).toBeUndefined();
  });
});
