/**
 * A re-run is a new attempt of the same build: the earlier attempt's failed tasks no longer
 * describe it. Cirrus re-runs a failed task as a new task of the same name (its first event still
 * carries the build as FAILED), then the build goes back to EXECUTING; GitHub starts a new attempt
 * of the run, whose jobs are new jobs with the old names.
 */
import { describe, expect, it } from 'vitest';
import { buildEvent, type EventSpec } from '../../../test/support/engineEvents.js';
import { RecordingNotifier } from '../../../test/support/fakeNotifier.js';
import { FakeTime } from '../../../test/support/fakeTime.js';
import { createEngine } from './engine.js';
import { settingsSchema } from '../settings/schema.js';

function setup() {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const engine = createEngine({
    settings: settingsSchema.parse({}),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async () => {},
    localMinutesOfDay: () => 12 * 60,
  });
  const send = (spec: EventSpec) => {
    time.advance(1_000);
    engine.handle(buildEvent({ at: time.now, ...spec }));
  };
  return { engine, notifier, send };
}

const NAMES = ['Lint (eslint)', 'Unit tests', 'Integration', 'Build', 'Docs'];

/** A build of five tasks whose first, Lint, fails. */
function failFirstAttempt(send: (spec: EventSpec) => void) {
  send({ state: 'running' });
  NAMES.forEach((name, index) => send({ state: 'running', task: { id: `t${index + 1}`, name, state: index === 0 ? 'failed' : 'passed' } }));
  send({ state: 'failed', previousStatus: 'EXECUTING' });
}

describe('engine: a re-run is a new attempt', () => {
  it('says nothing when a re-run starts, then "fixed" without the old failed task when it passes', () => {
    const { engine, notifier, send } = setup();
    failFirstAttempt(send);
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed']);
    expect(notifier.shown[0]!.body).toContain('1 of 5 tasks failed: Lint (eslint)');

    // The re-run: a new Lint task while the build is still FAILED, then the build runs again.
    send({ state: 'failed', task: { id: 't6', name: 'Lint (eslint)', state: 'queued' } });
    send({ state: 'running', previousStatus: 'FAILED' });
    send({ state: 'running', task: { id: 't6', name: 'Lint (eslint)', state: 'running' } });
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed']);
    expect(engine.trayModel().recentBuilds[0]!.failedTasks).toEqual([]);

    send({ state: 'running', task: { id: 't6', name: 'Lint (eslint)', state: 'passed' } });
    send({ state: 'passed', previousStatus: 'EXECUTING' });
    const fixed = notifier.shown.at(-1)!;
    expect(fixed.title).toBe('✓ acme/web · main fixed');
    expect(fixed.body).not.toMatch(/failed/);
    expect(fixed.url).toBe('https://cirrus-ci.com/build/1');
    expect(engine.trayModel().recentBuilds[0]).toMatchObject({ state: 'passed', failedTasks: [] });
  });

  it('ignores a late event of a task the re-run replaced', () => {
    const { engine, notifier, send } = setup();
    failFirstAttempt(send);
    send({ state: 'failed', task: { id: 't6', name: 'Lint (eslint)', state: 'queued' } });
    send({ state: 'running', previousStatus: 'FAILED' });
    // The old Lint's failure delivered again under another delivery id.
    send({ state: 'running', task: { id: 't1', name: 'Lint (eslint)', state: 'failed' } });
    expect(engine.trayModel().recentBuilds[0]!.failedTasks).toEqual([]);
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed']);
  });

  it('reports the re-run failing again as still failing, with the new task only', () => {
    const { notifier, send } = setup();
    failFirstAttempt(send);
    send({ state: 'failed', task: { id: 't6', name: 'Lint (eslint)', state: 'queued' } });
    send({ state: 'running', previousStatus: 'FAILED' });
    send({ state: 'running', task: { id: 't6', name: 'Lint (eslint)', state: 'failed' } });
    send({ state: 'failed', previousStatus: 'EXECUTING' });
    const again = notifier.shown.at(-1)!;
    expect(again.title).toBe('✗ acme/web · main still failing');
    expect(again.body).toContain('1 of 5 tasks failed: Lint (eslint)');
    expect(again.url).toBe('https://cirrus-ci.com/task/t6');
  });

  it('a new attempt that starts with the build (GitHub) drops the earlier failures at once', () => {
    const { engine, notifier, send } = setup();
    failFirstAttempt(send);
    send({ state: 'queued', status: 'queued', previousStatus: 'FAILED' });
    expect(engine.trayModel().recentBuilds[0]!.failedTasks).toEqual([]);
    send({ state: 'queued', task: { id: 't7', name: 'Lint (eslint)', state: 'queued' } });
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed']);
  });
});
