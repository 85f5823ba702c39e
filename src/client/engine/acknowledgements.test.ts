/**
 * "I'm on it" in the engine (issue #17): words from a relay and the user's own, the rules that
 * clear them, and how the tray and the failure's notification say them. The port is a fake only
 * at `AcknowledgePort`, the relay client's boundary: it echoes a word back as the relay does.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildEvent, detail, type EventSpec } from '../../../test/support/engineEvents.js';
import { displayIntent } from '../../core/text/displayIntent.js';
import { RecordingNotifier } from '../../../test/support/fakeNotifier.js';
import { FakeTime } from '../../../test/support/fakeTime.js';
import type { Acknowledgement } from '../../core/acknowledgement.js';
import type { AcknowledgePort, BuildRef, Logger } from '../../core/ports.js';
import { settingsSchema, type SettingsInput } from '../settings/schema.js';
import { createEngine, type Engine, type EngineOptions } from './engine.js';

function setup(settings: SettingsInput = {}, overrides: Partial<EngineOptions> = {}) {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const engine = createEngine({
    settings: settingsSchema.parse(settings),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async () => {},
    logger,
    localMinutesOfDay: () => 12 * 60,
    ...overrides,
  });
  engine.setConnection({ connected: true, source: 'work relay' });
  const send = (spec: EventSpec, options?: { catchUp?: boolean }) => engine.handle(buildEvent({ at: time.now, ...spec }), { source: 'work relay', ...options });
  const hear = (overrides: Partial<Acknowledgement> = {}, options: { own?: boolean; catchUp?: boolean } = {}) =>
    engine.handleAcknowledgement(ack({ at: time.now, ...overrides }), { own: options.own ?? false, source: 'work relay', ...(options.catchUp === undefined ? {} : { catchUp: options.catchUp }) });
  return { time, notifier, logger, engine, send, hear };
}

function ack(overrides: Partial<Acknowledgement> = {}): Acknowledgement {
  return {
    provider: 'cirrus',
    repository: { id: 'acme-web', owner: 'acme', name: 'web', private: false },
    buildId: '1',
    branch: 'main',
    by: 'Ana',
    active: true,
    at: 1_000,
    ...overrides,
  };
}

/** A relay at the port: it stores the word and echoes it to this engine (own) before resolving, as the relay client does. */
function echoingRelay(engine: () => Engine, time: FakeTime, label = 'me@laptop') {
  const sent: Array<{ build: BuildRef; active: boolean }> = [];
  const port: AcknowledgePort & { sent: typeof sent; reject?: Error } = {
    sent,
    canShare: (build) => build.repository.owner === 'acme',
    async acknowledge(build, active) {
      sent.push({ build, active });
      if (port.reject) throw port.reject;
      engine().handleAcknowledgement(ack({ buildId: build.id, by: label, active, at: time.now }), { own: true });
    },
  };
  return port;
}

const onIt = (engine: Engine, key = 'cirrus:1') => engine.trayModel().recentBuilds.find((build) => build.key === key)?.onIt ?? null;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("engine: someone else's word", () => {
  it('shows "Ana is on it" in the tray and updates the failure notification in place, without a new one', () => {
    const { engine, notifier, send, hear, time } = setup();
    send({ state: 'failed' });
    time.now += 1_000;
    hear({ by: 'Ana' });
    expect(onIt(engine)).toEqual({ line: 'Ana is on it', names: ['Ana'], mine: false });
    // Shown twice under one key: the notifier replaces what is on screen; nothing else was raised.
    expect(notifier.shown.map((intent) => intent.key)).toEqual(['build:cirrus:1', 'build:cirrus:1']);
    // The replacement is an update, not news: quiet.
    expect(notifier.shown.map((intent) => intent.quiet === true)).toEqual([false, true]);
    expect(notifier.onScreen.get('build:cirrus:1')?.body).toBe('Fix the login page\nby alice · Ana is on it');
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ text: 'Ana is on it: acme/web · main', kind: 'build', buildKey: 'cirrus:1' });
    hear({ by: 'Ben' });
    expect(onIt(engine)?.line).toBe('Ana and Ben are on it');
    hear({ by: 'Cy' });
    expect(onIt(engine)?.line).toBe('Ana and 2 others are on it');
    expect(notifier.onScreen.size).toBe(1);
  });

  it('keeps why the build failed in the notification: the last log line stays within what a body keeps', () => {
    const { notifier, send, hear } = setup();
    const logTail = ['npm test', 'FAIL src/login.test.ts', 'Tests: 1 failed, 83 passed'];
    send({ state: 'failed', task: { id: 't1', name: 'Unit tests', state: 'failed', detail: detail({ step: 'Run npm test', annotation: { message: 'expected 200, got 500', path: 'src/login.test.ts', line: 12 }, logTail }) } });
    hear({ by: 'Ana' });
    const lines = displayIntent(notifier.onScreen.get('build:cirrus:1')!).body.split('\n');
    expect(lines[1]).toBe('by alice · Ana is on it');
    expect(lines.at(-1)).toBe('> Tests: 1 failed, 83 passed');
  });

  it('raises no banner and updates no notification for words replayed in a catch-up, but the tray says them', () => {
    const { engine, notifier, send, hear } = setup();
    send({ state: 'failed' });
    const shown = notifier.shown.length;
    engine.beginCatchUp();
    hear({ by: 'Ana' }, { catchUp: true });
    engine.endCatchUp();
    expect(notifier.shown).toHaveLength(shown);
    expect(onIt(engine)?.line).toBe('Ana is on it');
  });

  it('starts an implicit catch-up for a replayed word, so the notification is left alone', () => {
    const { engine, notifier, send, hear } = setup();
    send({ state: 'failed' });
    hear({ by: 'Ana' }, { catchUp: true });
    expect(notifier.shown).toHaveLength(1);
    expect(onIt(engine)?.line).toBe('Ana is on it');
  });

  it('updates no notification while notifications are paused; the tray still says it', () => {
    const { engine, notifier, send, hear, time } = setup();
    send({ state: 'failed' });
    engine.pauseUntil(time.now + 60_000);
    hear({ by: 'Ana' });
    expect(notifier.shown).toHaveLength(1);
    expect(onIt(engine)?.line).toBe('Ana is on it');
  });

  it('removes a withdrawn word, and the notification says so', () => {
    const { engine, notifier, send, hear, time } = setup();
    send({ state: 'failed' });
    hear({ by: 'Ana' });
    time.now += 1;
    hear({ by: 'Ana', active: false });
    expect(onIt(engine)).toBeNull();
    expect(notifier.onScreen.get('build:cirrus:1')?.body).toBe('Fix the login page\nby alice');
    expect(engine.trayModel().recentEvents[0]?.text).toBe('Ana is not on it any more: acme/web · main');
  });

  it('keeps a word for a build not seen yet, and shows it when its events come later in the replay', () => {
    const { engine, notifier, send, hear, time } = setup();
    engine.beginCatchUp();
    hear({ buildId: '7', by: 'Ana', at: time.now + 5 }, { catchUp: true });
    // Named by what the relay says of the build, for the events list and piped output.
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ text: 'Ana is on it: acme/web · main', buildKey: 'cirrus:7', url: null });
    send({ buildId: '7', state: 'running' }, { catchUp: true });
    send({ buildId: '7', state: 'failed' }, { catchUp: true });
    engine.endCatchUp();
    expect(onIt(engine, 'cirrus:7')?.line).toBe('Ana is on it');
    // The replay's one summary notification, no banner per word.
    expect(notifier.shown).toHaveLength(1);
  });

  it('leaves builds of a muted repository out, word and all', () => {
    const { engine, notifier, send, hear } = setup({ mutedRepositories: ['acme/web'] });
    send({ state: 'failed' });
    hear({ by: 'Ana' });
    expect(notifier.shown).toHaveLength(0);
    expect(engine.trayModel().recentEvents).toHaveLength(0);
  });
});

describe('engine: what clears a word', () => {
  it('a pass of the build clears it', () => {
    const { engine, send, hear, time } = setup();
    send({ state: 'failed' });
    hear({ by: 'Ana' });
    time.now += 1_000;
    send({ state: 'running', previousStatus: 'FAILED' });
    expect(onIt(engine)?.line).toBe('Ana is on it');
    send({ state: 'passed' });
    expect(onIt(engine)).toBeNull();
  });

  it('a new attempt of the build that fails again clears it, and its new notification asks again', () => {
    const { engine, notifier, send, hear, time } = setup();
    send({ state: 'failed' });
    hear({ by: 'Ana' });
    time.now += 1_000;
    // A re-run: the build leaves its final state.
    send({ state: 'running', previousStatus: 'FAILED' });
    expect(onIt(engine)?.line).toBe('Ana is on it');
    send({ state: 'failed' });
    expect(onIt(engine)).toBeNull();
    expect(notifier.onScreen.get('build:cirrus:1')).toMatchObject({ body: 'Fix the login page\nby alice', actions: [{ id: 'acknowledge' }] });
  });

  it("a newer build of the branch that fails clears the older build's word and updates its notification", () => {
    const { engine, notifier, send, hear, time } = setup();
    send({ buildId: '1', state: 'failed' });
    hear({ buildId: '1', by: 'Ana' });
    expect(notifier.onScreen.get('build:cirrus:1')?.body).toContain('Ana is on it');
    time.now += 1_000;
    send({ buildId: '2', state: 'failed' });
    expect(onIt(engine, 'cirrus:1')).toBeNull();
    expect(notifier.onScreen.get('build:cirrus:1')?.body).not.toContain('on it');
    expect(notifier.onScreen.get('build:cirrus:2')?.title).toBe('✗ acme/web · main still failing');
  });

  it("keeps the word through the build's task news, and on other branches' and repositories' verdicts", () => {
    const { engine, send, hear, time } = setup();
    send({ buildId: '1', state: 'failed' });
    hear({ buildId: '1', by: 'Ana' });
    time.now += 1_000;
    send({ buildId: '1', state: 'failed', task: { id: 't1', name: 'lint', state: 'failed' } });
    send({ buildId: '2', state: 'failed', branch: 'feature' });
    send({ buildId: '3', state: 'failed', repo: 'api' });
    send({ buildId: '4', state: 'aborted' });
    expect(onIt(engine, 'cirrus:1')?.line).toBe('Ana is on it');
  });

  it('keeps a word said after the newer failure: it is about the news', () => {
    const { engine, send, hear, time } = setup();
    send({ buildId: '1', state: 'failed' });
    send({ buildId: '2', state: 'failed' });
    time.now += 1_000;
    hear({ buildId: '1', by: 'Ana' });
    expect(onIt(engine, 'cirrus:1')?.line).toBe('Ana is on it');
  });
});

describe("engine: the user's own word", () => {
  it('asks the relay from a notification button, and the echo updates the notification in place', async () => {
    const time = new FakeTime();
    const relay = echoingRelay(() => app.engine, time);
    const app = setupWith(time, relay);
    const { engine, notifier, send } = app;
    send({ state: 'failed' });
    notifier.click('build:cirrus:1', 'acknowledge');
    await settle();
    expect(relay.sent).toEqual([{ build: { provider: 'cirrus', repository: expect.objectContaining({ owner: 'acme', name: 'web' }), id: '1', url: 'https://cirrus-ci.com/build/1' }, active: true }]);
    expect(onIt(engine)).toEqual({ line: "You're on it", names: [], mine: true });
    expect(notifier.shown.map((intent) => intent.key)).toEqual(['build:cirrus:1', 'build:cirrus:1']);
    expect(notifier.onScreen.get('build:cirrus:1')).toMatchObject({ body: expect.stringContaining("You're on it"), actions: [{ id: 'withdraw' }] });
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ text: "You're on it: acme/web · main", kind: 'action' });

    notifier.click('build:cirrus:1', 'withdraw');
    await settle();
    expect(relay.sent.at(-1)?.active).toBe(false);
    expect(onIt(engine)).toBeNull();
    expect(notifier.onScreen.get('build:cirrus:1')?.actions).toEqual([{ id: 'acknowledge', label: "I'm on it" }]);
  });

  it("says why when the relay refuses, and shows nobody on it", async () => {
    const time = new FakeTime();
    const relay = echoingRelay(() => app.engine, time);
    relay.reject = new Error('this token may not acknowledge builds');
    const app = setupWith(time, relay);
    const { engine, notifier, send } = app;
    send({ state: 'failed' });
    await engine.activate('cirrus:1', 'acknowledge');
    expect(onIt(engine)).toBeNull();
    expect(engine.trayModel().recentEvents[0]).toMatchObject({
      kind: 'error',
      text: 'Could not say you are on acme/web · main (build 1): this token may not acknowledge builds',
    });
    expect(notifier.onScreen.get('action:cirrus:1')?.body).toBe('this token may not acknowledge builds');
  });

  it('stays on this desktop when no relay carries the build, and can be taken back', async () => {
    const time = new FakeTime();
    const relay = echoingRelay(() => app.engine, time);
    const app = setupWith(time, relay);
    const { engine, notifier, send } = app;
    send({ state: 'failed', owner: 'elsewhere' });
    await engine.acknowledge('cirrus:1', true);
    expect(relay.sent).toEqual([]);
    expect(onIt(engine)).toEqual({ line: "You're on it", names: [], mine: true });
    expect(engine.trayModel().recentEvents[0]?.text).toBe("You're on it: elsewhere/web · main (build 1) (on this desktop only: no relay carries it)");
    expect(notifier.onScreen.get('build:cirrus:1')?.actions).toEqual([{ id: 'withdraw', label: "I'm not on it any more" }]);
    await engine.acknowledge('cirrus:1', false);
    expect(onIt(engine)).toBeNull();
  });

  it('stays on this desktop with no relay at all (polling only)', async () => {
    const { engine, send } = setup();
    send({ state: 'failed' });
    await engine.activate('build:cirrus:1', 'acknowledge');
    expect(onIt(engine)).toEqual({ line: "You're on it", names: [], mine: true });
  });

  it("cannot take back a shared word while no relay carries the build: it says so and the word stays", async () => {
    const { engine, send, hear } = setup();
    send({ state: 'failed' });
    hear({ by: 'me@laptop' }, { own: true });
    await engine.acknowledge('cirrus:1', false);
    expect(onIt(engine)?.mine).toBe(true);
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ kind: 'error', text: expect.stringContaining('no connected relay carries it') });
  });

  it('says so for a build it no longer knows', async () => {
    const { engine } = setup();
    await engine.acknowledge('cirrus:404', true);
    expect(engine.trayModel().recentEvents[0]).toMatchObject({ kind: 'error', text: 'Cannot say you are on cirrus:404: the build is no longer known' });
  });
});

function setupWith(time: FakeTime, acknowledgements: AcknowledgePort) {
  const notifier = new RecordingNotifier();
  const engine = createEngine({
    settings: settingsSchema.parse({}),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async () => {},
    localMinutesOfDay: () => 12 * 60,
    acknowledgements,
  });
  engine.setConnection({ connected: true, source: 'work relay' });
  const send = (spec: EventSpec) => engine.handle(buildEvent({ at: time.now, ...spec }), { source: 'work relay' });
  return { engine, notifier, send };
}

