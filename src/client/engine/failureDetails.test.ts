/**
 * The engine asking why a build failed: the notification goes out at once and is updated when
 * the answer comes; each failed task is asked about once, only for failures that notify, within a
 * time bound, and a slow answer holds back no other notification.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildEvent, detail, type EventSpec } from '../../../test/support/engineEvents.js';
import { RecordingNotifier } from '../../../test/support/fakeNotifier.js';
import { FakeTime } from '../../../test/support/fakeTime.js';
import type { TaskFailure } from '../../core/failureDetail.js';
import type { FailureDetailPort, FailureDetailRequest } from '../../core/failureDetailPort.js';
import { settingsSchema, type SettingsInput } from '../settings/schema.js';
import { createEngine } from './engine.js';

interface Call {
  readonly request: FailureDetailRequest;
  readonly signal: AbortSignal;
  answer(failures: readonly unknown[]): void;
  fail(error: Error): void;
}

/** A port whose answers the test gives by hand, when it wants: a slow API. */
function manualPort(provider = 'cirrus') {
  const calls: Call[] = [];
  const port: FailureDetailPort = {
    supports: (build) => build.provider === provider,
    fetch: (request, signal) =>
      new Promise((resolve, reject) => {
        calls.push({ request, signal, answer: (failures) => resolve(failures as TaskFailure[]), fail: reject });
      }),
  };
  return { port, calls };
}

function setup(settings: SettingsInput = {}, provider = 'cirrus') {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const { port, calls } = manualPort(provider);
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const engine = createEngine({
    settings: settingsSchema.parse(settings),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async () => {},
    logger,
    localMinutesOfDay: () => 12 * 60,
    failureDetail: port,
    failureDetailTimeoutMs: 10_000,
  });
  engine.setConnection({ connected: true, source: 'test' });
  const send = (spec: EventSpec, options?: { catchUp?: boolean }) => engine.handle(buildEvent({ at: time.now, ...spec }), options);
  return { time, notifier, calls, engine, send, logger };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function lintFailure(fields: Parameters<typeof detail>[0] = { step: 'lint', logTail: ['src/a.ts', '  1:1  error  no', '✖ 1 problem'] }): TaskFailure {
  return { taskId: 't1', taskName: 'Lint', taskUrl: 'https://cirrus-ci.com/task/t1', detail: detail(fields) };
}

function failBuild(send: ReturnType<typeof setup>['send'], buildId = '1') {
  send({ buildId, state: 'running', task: { id: buildId === '1' ? 't1' : `t1-${buildId}`, name: 'Lint', state: 'failed' } });
  send({ buildId, state: 'failed' });
}

describe('failure detail in the engine', () => {
  it('notifies at once without the detail, then updates the same notification when a slow answer arrives', async () => {
    const { notifier, calls, send, engine, time } = setup();
    failBuild(send);
    expect(notifier.shown).toHaveLength(1);
    expect(notifier.shown[0]!.body).toBe('Fix the login page\nby alice\n1 of 1 task failed: Lint');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.request).toMatchObject({ provider: 'cirrus', buildId: '1', tasks: [{ id: 't1', name: 'Lint', known: null }] });

    time.advance(5_000);
    calls[0]!.answer([lintFailure()]);
    await settle();
    expect(notifier.shown).toHaveLength(2);
    expect(notifier.onScreen.size).toBe(1);
    expect(notifier.onScreen.get('build:cirrus:1')!.body).toBe(
      'Fix the login page\nby alice\n1 of 1 task failed: Lint\nLint: command “lint” failed\n> src/a.ts\n> 1:1 error no\n> ✖ 1 problem',
    );
    expect(engine.trayModel().recentBuilds[0]!.failureDetail).toEqual(['Lint: command “lint” failed', '> src/a.ts', '> 1:1 error no', '> ✖ 1 problem']);
  });

  it('gives up after the time bound: the request is aborted and a late answer changes nothing', async () => {
    const { notifier, calls, send, time, logger } = setup();
    failBuild(send);
    time.advance(10_000);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/took too long/), expect.anything());
    calls[0]!.answer([lintFailure()]);
    await settle();
    expect(notifier.shown).toHaveLength(1);
  });

  it('asks about each failed task once, however many events follow', async () => {
    const { calls, send } = setup();
    failBuild(send);
    send({ state: 'failed', task: { id: 't1', name: 'Lint', state: 'failed' } });
    send({ state: 'failed', task: { id: 't2', name: 'Test', state: 'passed' } });
    expect(calls).toHaveLength(1);
    send({ state: 'failed', task: { id: 't3', name: 'Build', state: 'failed' } });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.request.tasks.map((task) => task.id)).toEqual(['t3']);
  });

  it('asks only for failures that notify: not for passes, switched-off failures, quiet hours or a catch-up', () => {
    const passed = setup();
    passed.send({ state: 'passed', task: { id: 't1', name: 'Lint', state: 'passed' } });
    expect(passed.calls).toHaveLength(0);

    const off = setup({ notifications: { failed: false } });
    failBuild(off.send);
    expect(off.calls).toHaveLength(0);

    const paused = setup({ pausedUntil: '2099-01-01T00:00:00Z' });
    failBuild(paused.send);
    expect(paused.calls).toHaveLength(0);

    const away = setup();
    away.engine.beginCatchUp();
    failBuild(away.send);
    away.engine.endCatchUp();
    expect(away.calls).toHaveLength(0);

    const other = setup({}, 'github');
    failBuild(other.send);
    expect(other.calls).toHaveLength(0);
  });

  it('holds no other notification back while an answer is awaited', () => {
    const { notifier, send } = setup();
    failBuild(send, '1');
    send({ buildId: '2', owner: 'acme', repo: 'api', state: 'failed' });
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed', '✗ acme/api · main failed']);
  });

  it('ignores a malformed answer and one about a task that is not a failure of the build', async () => {
    const { notifier, calls, send, logger } = setup();
    failBuild(send);
    calls[0]!.answer([{ taskId: 't1', taskName: 'Lint', taskUrl: 'javascript:alert(1)', detail: detail({ step: 'x' }) }, { ...lintFailure(), taskId: 't9' }]);
    await settle();
    expect(notifier.shown).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/malformed/), expect.anything());
  });

  it('logs a failed request and keeps the notification as it was', async () => {
    const { notifier, calls, send, logger } = setup();
    failBuild(send);
    calls[0]!.fail(new Error('HTTP 502'));
    await settle();
    expect(notifier.shown).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith('could not fetch failure detail', expect.objectContaining({ error: 'HTTP 502' }));
  });

  it('asks once per attempt about a build whose failed tasks are unknown (a polled GitHub run)', () => {
    const { calls, send } = setup({}, 'github');
    send({ provider: 'github', state: 'running' });
    send({ provider: 'github', state: 'failed' });
    send({ provider: 'github', state: 'failed', id: 'again' });
    expect(calls.map((call) => call.request.tasks)).toEqual([[]]);
    // A re-run: the run left the status it ended with, and failed again.
    send({ provider: 'github', state: 'running', previousStatus: 'FAILED' });
    send({ provider: 'github', state: 'failed' });
    expect(calls).toHaveLength(2);
  });
});

describe('failure detail asked about a whole build', () => {
  it('does not ask again about a task its build’s answer already covered', async () => {
    const { calls, send } = setup();
    send({ state: 'running' });
    send({ state: 'failed' });
    expect(calls.map((call) => call.request.tasks)).toEqual([[]]);
    calls[0]!.answer([lintFailure()]);
    await settle();
    // The task's own event comes late: nothing more to ask.
    send({ state: 'failed', task: { id: 't1', name: 'Lint', state: 'failed' } });
    expect(calls).toHaveLength(1);
  });

  it('does not fold a late answer into a catch-up summary', async () => {
    const { calls, send, engine, notifier } = setup();
    failBuild(send);
    engine.beginCatchUp();
    calls[0]!.answer([lintFailure()]);
    await settle();
    engine.endCatchUp();
    expect(notifier.shown).toHaveLength(1);
  });
});

describe('a provider without a fetcher yet', () => {
  it('shows what its delivery said, and a port for it plugs in with nothing else to change (GitLab: the hook’s reason, then the trace’s tail)', async () => {
    const { calls, send, notifier } = setup({}, 'gitlab');
    const reason = detail({ reason: 'script_failure' });
    send({ provider: 'gitlab', state: 'running', task: { id: '81', name: 'unit tests', state: 'failed', detail: reason } });
    send({ provider: 'gitlab', state: 'failed' });
    expect(notifier.shown[0]!.body.split('\n').slice(3)).toEqual(['unit tests: script failure']);
    // The port is asked with what the hook said, so it fetches only what is missing (the trace).
    expect(calls[0]!.request.tasks).toEqual([{ id: '81', name: 'unit tests', url: 'https://cirrus-ci.com/task/81', known: reason }]);
    calls[0]!.answer([{ taskId: '81', taskName: 'unit tests', taskUrl: 'https://gitlab.com/acme/web/-/jobs/81', detail: detail({ logTail: ['$ npm test', 'ERROR: Job failed: exit code 1'] }) }]);
    await settle();
    expect(notifier.onScreen.get('build:gitlab:1')!.body.split('\n').slice(3)).toEqual(['unit tests: script failure', '> $ npm test', '> ERROR: Job failed: exit code 1']);
  });
});
