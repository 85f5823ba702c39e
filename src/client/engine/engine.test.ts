import { describe, expect, it, vi } from 'vitest';
import { routeBuildActions, type SourceActions } from '../sources/actionRouter.js';
import { buildEvent, type EventSpec } from '../../../test/support/engineEvents.js';
import { RecordingNotifier } from '../../../test/support/fakeNotifier.js';
import { FakeTime } from '../../../test/support/fakeTime.js';
import type { BuildActionsPort, Logger } from '../../core/ports.js';
import { createEngine, type EngineOptions } from './engine.js';
import { settingsSchema, type SettingsInput } from '../settings/schema.js';
import type { TrayModel } from '../../core/engine/trayModel.js';

function setup(settings: SettingsInput = {}, overrides: Partial<EngineOptions> = {}) {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const opened: string[] = [];
  const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const engine = createEngine({
    settings: settingsSchema.parse(settings),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async (url) => {
      opened.push(url);
    },
    logger,
    // Noon, unless a test moves it: quiet hours are tested apart from the wall clock.
    localMinutesOfDay: () => 12 * 60,
    ...overrides,
  });
  engine.setConnection({ connected: true, source: 'work relay' });
  const send = (spec: EventSpec, options?: { catchUp?: boolean }) => engine.handle(buildEvent({ at: time.now, ...spec }), { source: 'work relay', ...options });
  return { time, notifier, opened, logger, engine, send };
}

/** Lets the promises of clicks and notifier calls settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('engine: notifications', () => {
  it('raises one critical notification for a failed build and shows it in the tray', () => {
    const { engine, notifier, send } = setup();
    send({ state: 'running' });
    send({ state: 'failed', title: 'Fix login', initiator: 'alice' });
    expect(notifier.shown).toEqual([
      {
        key: 'build:cirrus:1',
        title: '✗ acme/web · main failed',
        body: 'Fix login\nby alice',
        url: 'https://cirrus-ci.com/build/1',
        urgency: 'critical',
        actions: [{ id: 'acknowledge', label: "I'm on it" }],
      },
    ]);
    const model = engine.trayModel();
    expect(model.state).toBe('failing');
    expect(model.recentEvents.map((event) => event.text)).toEqual(['acme/web · main failed', 'acme/web · main started']);
  });

  it('updates the same notification as task results arrive, instead of adding one per task', () => {
    const { notifier, send } = setup();
    send({ state: 'failed', task: { id: 't1', name: 'lint', state: 'failed' } });
    send({ state: 'failed', task: { id: 't2', name: 'test', state: 'passed' } });
    send({ state: 'failed', task: { id: 't3', name: 'test-arm', state: 'failed' } });
    expect(notifier.onScreen.size).toBe(1);
    expect(notifier.onScreen.get('build:cirrus:1')).toMatchObject({
      body: 'Fix the login page\nby alice\n2 of 3 tasks failed: lint, test-arm',
      url: 'https://cirrus-ci.com/build/1',
    });
    // The passed task changed the count ("1 of 2"), so every task event updated the notification.
    expect(notifier.shown.map((intent) => intent.url)).toEqual([
      'https://cirrus-ci.com/task/t1',
      'https://cirrus-ci.com/task/t1',
      'https://cirrus-ci.com/build/1',
    ]);
  });

  it.each<[string, EventSpec[], SettingsInput, string[]]>([
    ['started is off by default', [{ state: 'running' }], {}, []],
    ['started when switched on', [{ state: 'running' }], { notifications: { started: true } }, ['▶ acme/web · main started']],
    ['passed is off by default', [{ state: 'passed' }], {}, []],
    ['fixed after a failure', [{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'passed' }], {}, ['✗ acme/web · main failed', '✓ acme/web · main fixed']],
    ['still failing', [{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'failed' }], {}, ['✗ acme/web · main failed', '✗ acme/web · main still failing']],
    ['fixed switched off', [{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'passed' }], { notifications: { fixed: false } }, ['✗ acme/web · main failed']],
    ['needs approval', [{ state: 'needs_approval' }], {}, ['acme/web · main needs approval']],
    ['aborted is off by default', [{ state: 'aborted' }], {}, []],
    ['errored', [{ state: 'errored' }], {}, ['⚠ acme/web · main errored']],
    ['a muted repository', [{ state: 'failed' }], { mutedRepositories: ['acme/*'] }, []],
    ['another branch', [{ state: 'failed', branch: 'feature/x' }], { branches: ['main'] }, []],
    ['someone else’s build with only-mine', [{ state: 'failed', initiator: 'bob' }], { onlyMine: { enabled: true, usernames: ['alice'] } }, []],
  ])('%s', (_name, events, settings, titles) => {
    const { notifier, send } = setup(settings);
    for (const event of events) send(event);
    expect(notifier.titles()).toEqual(titles);
  });

  it('drops a second delivery of the same event', () => {
    const { notifier, engine } = setup();
    const event = buildEvent({ state: 'failed' });
    engine.handle(event);
    engine.handle(event);
    expect(notifier.shown).toHaveLength(1);
    expect(engine.trayModel().recentEvents).toHaveLength(1);
  });

  it('offers approve and re-run only when actions are configured', () => {
    const actions: BuildActionsPort = { approve: vi.fn(), rerunFailedTasks: vi.fn() };
    const { notifier, send } = setup({}, { actions });
    send({ buildId: '1', state: 'needs_approval' });
    send({ buildId: '2', state: 'failed' });
    expect(notifier.shown.map((intent) => intent.actions.map((action) => action.label))).toEqual([['Approve'], ['Re-run failed tasks', "I'm on it"]]);
  });

  it('logs a notifier failure without breaking the engine', async () => {
    const { notifier, logger, engine, send } = setup();
    notifier.failWith = new Error('no notification daemon');
    send({ state: 'failed' });
    await settle();
    expect(logger.error).toHaveBeenCalledWith('could not show a notification', expect.objectContaining({ key: 'build:cirrus:1' }));
    expect(engine.trayModel().state).toBe('failing');
  });
});

describe('engine: quiet hours, pause, mute', () => {
  it('holds back banners during quiet hours but still lists the build', () => {
    const { notifier, engine, send } = setup(
      { quietHours: { enabled: true, start: '22:00', end: '07:00' } },
      { localMinutesOfDay: () => 23 * 60 },
    );
    send({ state: 'failed' });
    expect(notifier.shown).toEqual([]);
    const model = engine.trayModel();
    expect(model.quietHours).toBe(true);
    expect(model.recentBuilds.map((build) => build.state)).toEqual(['failed']);
    expect(model.recentEvents.map((event) => event.text)).toEqual(['acme/web · main failed']);
  });

  it('pauses banners until a time, asks for the setting to be saved, and flips the tray back by itself', () => {
    const { time, notifier, engine, send } = setup();
    const saved: Array<string | null> = [];
    const models: TrayModel[] = [];
    engine.onSettingsChange((settings) => saved.push(settings.pausedUntil));
    engine.onTrayModelChange((model) => models.push(model));
    engine.pauseUntil(time.now + 60_000);
    expect(saved).toEqual([new Date(time.now + 60_000).toISOString()]);
    send({ state: 'failed' });
    expect(notifier.shown).toEqual([]);
    expect(engine.trayModel().state).toBe('paused');
    time.advance(60_000);
    expect(models.at(-1)?.state).toBe('failing');
    send({ buildId: '2', state: 'failed' });
    expect(notifier.titles()).toEqual(['✗ acme/web · main still failing']);
  });

  it('resumes at once when asked', () => {
    const { time, engine, send, notifier } = setup();
    engine.pauseUntil(time.now + 60_000);
    engine.resume();
    expect(engine.settings().pausedUntil).toBeNull();
    expect(time.pending).toBe(0);
    send({ state: 'failed' });
    expect(notifier.shown).toHaveLength(1);
  });

  it('mutes and unmutes a repository, hiding it from the tray in between', () => {
    const { engine, notifier, send } = setup();
    const saved: string[][] = [];
    engine.onSettingsChange((settings) => saved.push([...settings.mutedRepositories]));
    send({ state: 'failed' });
    engine.mute('acme/web');
    engine.mute('acme/web');
    expect(engine.trayModel()).toMatchObject({ state: 'idle', recentBuilds: [], repositories: [{ slug: 'acme/web', muted: true, mutedBy: 'acme/web' }] });
    send({ buildId: '2', state: 'failed' });
    expect(notifier.shown).toHaveLength(1);
    engine.unmute('acme/web');
    expect(engine.trayModel().state).toBe('failing');
    expect(saved).toEqual([['acme/web'], []]);
  });
});

describe('engine: coalescing and catch-up', () => {
  it('turns a burst into one summary and updates it once per window', () => {
    const { time, notifier, send } = setup();
    for (let i = 1; i <= 7; i += 1) {
      send({ buildId: String(i), state: 'failed', repo: i % 2 ? 'web' : 'api', branch: `b${i}` });
      time.advance(1_000);
    }
    expect(notifier.titles()).toEqual([
      '✗ acme/web · b1 failed',
      '✗ acme/api · b2 failed',
      '✗ acme/web · b3 failed',
      '✗ acme/api · b4 failed',
      '5 builds failed in acme/web, acme/api',
    ]);
    time.advance(10_000);
    expect(notifier.titles().at(-1)).toBe('7 builds failed in acme/web, acme/api');
    expect(notifier.onScreen.get('summary:burst')?.url).toBe('https://cirrus-ci.com/build/7');
    expect(notifier.shown).toHaveLength(6);
    // The burst ended 10 s after its last build: nothing is left waiting.
    expect(time.pending).toBe(0);
    send({ buildId: '8', state: 'failed', branch: 'b8' });
    expect(notifier.titles().at(-1)).toBe('✗ acme/web · b8 failed');
  });

  it('uses the configured burst threshold and window', () => {
    const { notifier, send } = setup({ coalescing: { burstThreshold: 2, burstWindowSeconds: 60 } });
    send({ buildId: '1', state: 'failed' });
    send({ buildId: '2', state: 'failed', branch: 'dev' });
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed', '2 builds failed in acme/web']);
  });

  it('shows one summary for an explicit catch-up, not a flood', () => {
    const { engine, notifier, send } = setup();
    engine.beginCatchUp();
    for (let i = 1; i <= 12; i += 1) send({ buildId: String(i), state: i === 12 ? 'needs_approval' : 'failed', branch: `b${i}` });
    expect(notifier.shown).toEqual([]);
    expect(engine.trayModel().recentBuilds).toHaveLength(10);
    engine.endCatchUp();
    expect(notifier.titles()).toEqual(['While you were away: 12 builds: 11 failed, 1 needs approval']);
  });

  it('folds task news during a catch-up into the one notification it ends with', () => {
    const { engine, notifier, send } = setup();
    engine.beginCatchUp();
    send({ state: 'failed' });
    send({ state: 'failed', task: { id: 't1', name: 'lint', state: 'failed' } });
    engine.endCatchUp();
    expect(notifier.shown).toHaveLength(1);
    expect(notifier.shown[0]?.body).toContain('1 of 1 task failed: lint');
  });

  it('ends a catch-up marked on events at the first live event', () => {
    const { notifier, send } = setup();
    send({ buildId: '1', state: 'failed' }, { catchUp: true });
    send({ buildId: '2', state: 'errored', branch: 'dev' }, { catchUp: true });
    expect(notifier.shown).toEqual([]);
    send({ buildId: '3', state: 'failed', branch: 'x' });
    expect(notifier.titles()).toEqual(['While you were away: 2 builds: 1 failed, 1 errored', '✗ acme/web · x failed']);
  });

  it('ends a catch-up marked on events after a quiet window', () => {
    const { time, notifier, send } = setup();
    send({ buildId: '1', state: 'failed' }, { catchUp: true });
    time.advance(9_999);
    expect(notifier.shown).toEqual([]);
    time.advance(1);
    expect(notifier.titles()).toEqual(['✗ acme/web · main failed']);
  });
});

describe('engine: clicks', () => {
  function withActions(approve: BuildActionsPort['approve'] = async () => undefined) {
    const actions = { approve: vi.fn(approve), rerunFailedTasks: vi.fn(async () => undefined) };
    return { actions, ...setup({}, { actions }) };
  }

  it('opens the page of a clicked notification, summaries included', async () => {
    const { notifier, opened, send, engine } = setup({ coalescing: { burstThreshold: 2 } });
    send({ buildId: '1', state: 'failed', task: { id: 't9', name: 'lint', state: 'failed' } });
    notifier.click('build:cirrus:1');
    send({ buildId: '2', state: 'needs_approval', branch: 'pr' });
    // The summary of the two opens the most relevant build: the failure, at its one failed task.
    notifier.click('summary:burst');
    await engine.activate('cirrus:2', 'open');
    await settle();
    expect(opened).toEqual(['https://cirrus-ci.com/task/t9', 'https://cirrus-ci.com/task/t9', 'https://cirrus-ci.com/build/2']);
  });

  it('approves and re-runs through the actions port and says so in the tray', async () => {
    const { actions, notifier, engine, send } = withActions();
    send({ buildId: '41', state: 'needs_approval' });
    send({ buildId: '42', state: 'failed', branch: 'dev' });
    notifier.click('build:cirrus:41', 'approve');
    notifier.click('build:cirrus:42', 'rerun');
    await settle();
    // The port gets the build as (provider, repository, id): an id alone is not unique across CIs.
    expect(actions.approve).toHaveBeenCalledWith(expect.objectContaining({ provider: 'cirrus', id: '41', repository: expect.objectContaining({ owner: 'acme', name: 'web' }) }));
    expect(actions.rerunFailedTasks).toHaveBeenCalledWith(expect.objectContaining({ provider: 'cirrus', id: '42', url: expect.stringContaining('/build/42') }));
    expect(engine.trayModel().recentEvents.slice(0, 2).map((event) => [event.kind, event.text]).sort()).toEqual([
      ['action', 'Approved acme/web · main (build 41)'],
      ['action', 'Re-ran the failed tasks of acme/web · dev (build 42)'],
    ]);
  });

  it('sends approve to the right CI when a Cirrus build and a GitHub run share an id', async () => {
    const calls: string[] = [];
    const port = (provider: 'cirrus' | 'github'): SourceActions => ({
      provider,
      approve: async (build) => void calls.push(`${provider} approves ${build.provider}:${build.id}`),
      rerunFailedTasks: async (build) => void calls.push(`${provider} re-runs ${build.provider}:${build.id}`),
    });
    const { engine, send } = setup({}, { actions: routeBuildActions([port('cirrus'), port('github')])! });
    send({ buildId: '42', state: 'needs_approval', provider: 'cirrus' });
    send({ buildId: '42', state: 'needs_approval', provider: 'github', repo: 'api' });
    await engine.activate('github:42', 'approve');
    await engine.activate('cirrus:42', 'approve');
    expect(calls).toEqual(['github approves github:42', 'cirrus approves cirrus:42']);
  });

  it('explains a failed action in a notification and in the tray', async () => {
    const { notifier, engine, send, logger } = withActions(async () => {
      throw new Error('the Cirrus token lacks WRITE permission on acme/web');
    });
    send({ buildId: '41', state: 'needs_approval' });
    notifier.click('build:cirrus:41', 'approve');
    await settle();
    const text = 'Could not approve acme/web · main (build 41): the Cirrus token lacks WRITE permission on acme/web';
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ kind: 'error', text });
    expect(notifier.onScreen.get('action:cirrus:41')).toMatchObject({
      title: 'Could not approve acme/web · main (build 41)',
      body: 'the Cirrus token lacks WRITE permission on acme/web',
      url: 'https://cirrus-ci.com/build/41',
    });
    expect(logger.error).toHaveBeenCalledWith(text, { build: 'cirrus:41' });
  });

  it('says a token with WRITE is needed when no actions are configured', async () => {
    const { engine, send } = setup();
    send({ buildId: '41', state: 'needs_approval' });
    await engine.activate('cirrus:41', 'approve');
    expect(engine.trayModel().recentEvents[0]?.text).toBe(
      'Cannot approve acme/web · main (build 41): no API token with WRITE permission is configured',
    );
  });

  it('reports an opener failure and a click on a build it no longer knows', async () => {
    const { engine, send } = setup({}, { opener: async () => Promise.reject(new Error('xdg-open not found')) });
    send({ state: 'failed' });
    await engine.activate('build:cirrus:1', 'open');
    await engine.activate('build:cirrus:999', 'rerun');
    expect(engine.trayModel().recentEvents.slice(0, 2).map((event) => event.text)).toEqual([
      'Cannot re-run the failed tasks of build:cirrus:999: the build is no longer known',
      'Could not open https://cirrus-ci.com/build/1: xdg-open not found',
    ]);
  });
});

describe('engine: connection and lifecycle', () => {
  it('shows offline with its reason first, and when it changed', () => {
    const { time, engine, send } = setup();
    send({ state: 'failed' });
    time.advance(5_000);
    engine.setConnection({ connected: false, source: 'work relay', reason: 'reconnecting in 8 s' });
    expect(engine.trayModel()).toMatchObject({
      state: 'offline',
      headline: 'Offline: reconnecting in 8 s',
      connections: [{ source: 'work relay', connected: false, reason: 'reconnecting in 8 s', since: time.now, lastEventAt: time.now - 5_000 }],
    });
  });

  it('keeps a connection per source, and forgets a removed one', () => {
    const { engine } = setup();
    engine.setConnection({ connected: false, source: 'personal GitHub', reason: 'first poll' });
    expect(engine.trayModel().connections.map((c) => [c.source, c.connected])).toEqual([['work relay', true], ['personal GitHub', false]]);
    expect(engine.trayModel().state).not.toBe('offline');
    engine.forgetConnection('work relay');
    expect(engine.trayModel()).toMatchObject({ state: 'offline', connections: [{ source: 'personal GitHub' }] });
  });

  it('tells tray listeners about every change until they unsubscribe', () => {
    const { engine, send } = setup();
    const states: string[] = [];
    const unsubscribe = engine.onTrayModelChange((model) => states.push(model.state));
    send({ state: 'running' });
    send({ state: 'passed' });
    unsubscribe();
    send({ buildId: '2', state: 'failed' });
    expect(states).toEqual(['running', 'passing']);
  });

  it('stops its timers on close and ignores later events', () => {
    const { time, engine, notifier, send } = setup({ coalescing: { burstThreshold: 2 } });
    send({ buildId: '1', state: 'failed' });
    send({ buildId: '2', state: 'failed', branch: 'dev' });
    expect(time.pending).toBe(1);
    engine.close();
    expect(time.pending).toBe(0);
    send({ buildId: '3', state: 'failed', branch: 'x' });
    expect(notifier.shown).toHaveLength(2);
  });
});
