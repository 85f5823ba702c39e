/**
 * Issue 10, item 7, as a class rather than a string: any text a payload (or a server's error
 * message) can carry, in any event field, reaches the notification intents, the tray model, the
 * tray menu and tooltip (Electron's, and watch --tray's dbusmenu labels and StatusNotifierItem
 * tooltip), and the window's IPC data without a control, escape or bidi character (`isDisplaySafe`), and a failure is never left without a notification. The engine, the tray
 * menu and the window's state are the real ones; only the notifier records instead of showing.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { nodeNotifierOptions } from '../../src/client/notifiers/nodeNotifier.js';
import { notifySendArgs } from '../../src/client/notifiers/notifySend.js';
import { defaultSettings, settingsSchema } from '../../src/client/settings/schema.js';
import { createTokenStore } from '../../src/client/settings/tokenStore.js';
import type { NotificationIntent } from '../../src/core/ports.js';
import { displayIntent } from '../../src/core/text/displayIntent.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { appState } from '../../src/main/ipc/handlers.js';
import { menuTemplate } from '../../src/main/menu.js';
import { notificationOptions } from '../../src/main/notifications.js';
import type { DesktopRuntime } from '../../src/main/runtime.js';
import { trayMenu, trayTooltip, type MenuEntry } from '../../src/client/tray/trayMenu.js';
import { itemLook } from '../../src/client/tray/linux/itemLook.js';
import { MenuLayout, type MenuItem } from '../../src/client/tray/linux/menuLayout.js';
import { buildEvent } from '../support/engineEvents.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { FakeTime } from '../support/fakeTime.js';

vi.mock('../../src/main/electron.js', async () => (await import('../support/fakeElectron.js')).fakeElectronModule());

/** Pieces that broke a sink or a reader before: NUL, OSC title and clipboard, CSI, C1 CSI, bidi, line breaks, lone surrogates. */
const DANGEROUS = ['\u0000', '\u001b]0;pwned\u0007', '\u001b]52;c;cHduZWQ=\u0007', '\u001b]8;;https://evil.example/\u001b\\', '\u001b[31m', '\u009b2J', '\u009d0;x\u009c',
  '\u202e', '\u2066', '\u061c', '\u2028', '\n', '\r\n', '\t', '\u007f', '\ud800', '\udfff', '😀', 'é', 'main', 'a', ' ', '<b>', '&'];

/** Any text: arbitrary UTF-16 units (lone surrogates included), arbitrary code points, and dense mixes of the known dangers. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
  fc.array(fc.constantFrom(...DANGEROUS), { maxLength: 24 }).map((pieces) => pieces.join('')),
);
/** The event schema wants these non-empty. */
const nonEmptyText = anyText.map((text) => (text === '' ? '\u0000' : text));

const buildSpec = fc.record({
  owner: nonEmptyText,
  repo: nonEmptyText,
  branch: fc.option(anyText, { nil: null }),
  title: fc.option(anyText, { nil: null }),
  initiator: fc.option(anyText, { nil: null }),
  buildId: nonEmptyText,
  taskId: nonEmptyText,
  taskName: anyText,
});

const scenario = fc.record({
  builds: fc.array(buildSpec, { minLength: 1, maxLength: 7 }),
  catchUp: fc.boolean(),
  connected: fc.boolean(),
  source: anyText,
  reason: fc.option(anyText, { nil: null }),
  serverError: anyText,
  problem: fc.option(anyText, { nil: null }),
});

/** Where text is an identity a command carries back, not something shown: left as received. */
const IDENTITY_FIELDS = new Set(['key', 'buildKey', 'url', 'failedTaskUrl', 'slug', 'mutedBy']);

/** Every string in `value` a person may read, with its path, skipping identities. */
function displayedStrings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, child]) =>
    IDENTITY_FIELDS.has(name) && !Array.isArray(value) ? [] : displayedStrings(child, `${at}.${name}`),
  );
}

function expectDisplaySafe(where: string, text: string): void {
  expect(isDisplaySafe(text), `${where}: ${JSON.stringify(text)}`).toBe(true);
}

/** Title, body (line by line: the body is the one multi-line text) and button labels. */
function expectIntentSafe(intent: NotificationIntent): void {
  expectDisplaySafe('title', intent.title);
  for (const line of intent.body.split('\n')) expectDisplaySafe('body line', line);
  for (const action of intent.actions) expectDisplaySafe('action label', action.label);
}

function menuLabels(entries: readonly MenuEntry[]): string[] {
  return entries.flatMap((entry) => (entry.type === 'separator' ? [] : entry.type === 'submenu' ? [entry.label, ...menuLabels(entry.items)] : [entry.label]));
}

function templateLabels(template: ReturnType<typeof menuTemplate>): string[] {
  return template.flatMap((item) => [
    ...(item.label === undefined ? [] : [item.label]),
    ...(Array.isArray(item.submenu) ? templateLabels(item.submenu) : []),
  ]);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('payload text reaching notifications, the tray and the window', () => {
  it('is display-safe everywhere, and every failed build is notified', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        const time = new FakeTime();
        const notifier = new RecordingNotifier();
        const failing = async () => {
          throw new Error(run.serverError);
        };
        const engine = createEngine({
          settings: settingsSchema.parse({}),
          clock: time.clock,
          timers: time.timers,
          notifier,
          opener: failing,
          actions: { approve: failing, rerunFailedTasks: failing },
          localMinutesOfDay: () => 12 * 60,
        });
        try {
          engine.setConnection({ connected: run.connected, source: run.source, reason: run.reason });
          const keys = run.builds.map((spec, index) => {
            // Unique per build, whatever the text: two builds with one id are one build.
            const buildId = `${spec.buildId}#${index}`;
            const common = { ...spec, buildId, at: time.now };
            engine.handle(buildEvent({ ...common, state: 'running' }), { catchUp: run.catchUp });
            engine.handle(buildEvent({ ...common, state: 'failed', task: { id: spec.taskId, name: spec.taskName, state: 'failed' } }), {
              catchUp: run.catchUp,
            });
            return `cirrus:${buildId}`;
          });
          if (run.catchUp) engine.endCatchUp();
          time.advance(60_000);
          // Clicks whose work fails with the server's message: an error event and an error notification.
          await engine.activate(`build:${keys[0]!}`, 'rerun');
          await engine.activate(`build:${keys[0]!}`, 'open');
          await settle();

          // Never dropped: each failure has its own notification or is counted in a summary.
          const shownKeys = new Set(notifier.shown.map((intent) => intent.key));
          const summarised = [...shownKeys].some((key) => key.startsWith('summary:'));
          for (const key of keys) expect(shownKeys.has(`build:${key}`) || summarised, `no notification for ${key}`).toBe(true);
          expect(notifier.shown.some((intent) => intent.urgency === 'critical')).toBe(true);
          for (const intent of notifier.shown) expectIntentSafe(intent);

          const model = engine.trayModel();
          for (const [where, text] of displayedStrings(model)) expectDisplaySafe(`tray model${where}`, text);
          const entries = trayMenu(model, { now: time.now, formatTime: () => '14:30', tomorrowMorning: time.now + 3_600_000 });
          for (const label of menuLabels(entries)) expectDisplaySafe('menu label', label);
          for (const label of templateLabels(menuTemplate(entries, () => {}))) expectDisplaySafe('Electron menu label', label);
          expectDisplaySafe('tooltip', trayTooltip(model));
          // watch --tray: the dbusmenu labels and the StatusNotifierItem's tooltip (markup-escaped).
          const layout = new MenuLayout();
          layout.update(entries);
          const items = (item: MenuItem): MenuItem[] => item.children.flatMap((child) => [child, ...items(child)]);
          for (const item of items(layout.root)) if (typeof item.properties['label'] === 'string') expectDisplaySafe('dbusmenu label', item.properties['label']);
          const look = itemLook(model, time.now, new Map());
          expectDisplaySafe('StatusNotifierItem tooltip', look.tooltipText);
          expect(look.tooltipText).not.toMatch(/[<>"']/);

          const state = await appState({
            runtime: windowRuntime(engine, run.problem),
            tokens: createTokenStore('/nonexistent/buildbell-tokens.json', { isEncryptionAvailable: () => true, encryptString: Buffer.from, decryptString: String }),
            notifier: { showOwn: () => {} },
            showWindow: () => {},
          });
          // The settings are the user's own; everything else in the window's state can quote a payload or a server.
          const { settings: _own, ...fromOutside } = state;
          for (const [where, text] of displayedStrings(fromOutside)) expectDisplaySafe(`window state${where}`, text);
        } finally {
          engine.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('each OS notifier is handed display-safe text even for an intent nobody cleaned', () => {
    const rawIntent = fc.record({
      key: nonEmptyText,
      title: anyText,
      body: anyText,
      url: fc.constant('https://cirrus-ci.com/build/1'),
      urgency: fc.constantFrom('low' as const, 'normal' as const, 'critical' as const),
      actions: fc.array(fc.record({ id: fc.constantFrom('approve' as const, 'rerun' as const), label: anyText }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(rawIntent, (intent) => {
        const clean = displayIntent(intent);
        expectIntentSafe(clean);
        expect(clean.title).not.toBe('');
        expect(clean.key).toBe(intent.key);
        // notify-send: options and title are whole arguments; the body is escaped markup of clean text.
        for (const argument of notifySendArgs(intent, undefined)) {
          for (const line of argument.split('\n')) expectDisplaySafe('notify-send argument', line);
        }
        for (const platform of ['darwin', 'win32'] as const) {
          for (const value of Object.values(nodeNotifierOptions(intent, platform))) {
            if (typeof value === 'string') for (const line of value.split('\n')) expectDisplaySafe(`node-notifier ${platform}`, line);
          }
        }
        const electron = notificationOptions(intent, 'darwin');
        expectDisplaySafe('Electron title', electron.title ?? '');
        for (const line of (electron.body ?? '').split('\n')) expectDisplaySafe('Electron body', line);
        for (const action of electron.actions ?? []) expectDisplaySafe('Electron button', action.text ?? '');
      }),
      { numRuns: 500 },
    );
  });
});

/** The runtime as the window's state sees it: the real engine, default settings, and a problem that may quote a server. */
function windowRuntime(engine: ReturnType<typeof createEngine>, problem: string | null): DesktopRuntime {
  const settings = defaultSettings();
  return {
    start: async () => {},
    engine: () => engine,
    settings: () => settings,
    sources: () => [],
    firstRun: () => false,
    problem: () => problem,
    applySettings: async () => {},
    onChange: () => {},
    stop: async () => {},
  };
}
