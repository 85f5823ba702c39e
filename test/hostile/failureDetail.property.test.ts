/**
 * Issue 17: a failed step's name, its log's last lines and an annotation are a build's own
 * output, so anything at all. As a class: whatever a CI's API answers, cut to its bounds as the
 * providers cut it, reaches the notification, the tray model and menu as a few short lines with no
 * control, escape or bidi character; and every notifier that hands the body to a markup-reading
 * server (freedesktop with body-markup, notify-send, Electron on Linux) escapes it, so it is shown
 * as written, never rendered.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { bodyFor } from '../../src/client/notifiers/freedesktopFormat.js';
import { notifySendArgs } from '../../src/client/notifiers/notifySend.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { trayMenu, type MenuEntry } from '../../src/client/tray/trayMenu.js';
import { boundFailureDetail, failureDetailSchema, type RawFailureDetail } from '../../src/core/failureDetail.js';
import { gitlabTraceLines } from '../../src/providers/gitlab/traceLines.js';
import type { FailureDetailPort } from '../../src/core/failureDetailPort.js';
import { displayIntent } from '../../src/core/text/displayIntent.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { notificationOptions } from '../../src/main/notifications.js';
import { buildEvent } from '../support/engineEvents.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { FakeTime } from '../support/fakeTime.js';

vi.mock('../../src/main/electron.js', async () => (await import('../support/fakeElectron.js')).fakeElectronModule());

/** Terminal escapes (OSC title, clipboard and hyperlink, CSI, C1), bidi, line breaks, lone surrogates, and markup of every kind. */
const DANGEROUS = ['\u0000', '\u001b]0;pwned\u0007', '\u001b]52;c;cHduZWQ=\u0007', '\u001b]8;;https://evil.example/\u001b\\', '\u001b[31m', '\u001b[0m', '\u009b2J',
  '\u202e', '\u2066', '\u2028', '\n', '\r\n', '\r', '\t', '\u007f', '\ud800', '😀', 'FAIL', ' ', '<b>', '</b>', '<a href="https://evil.example">', '<img src=x onerror=alert(1)>',
  '&', '&amp;', '&lt;', '<![CDATA[', ']]>', '"', "'"];

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
  fc.array(fc.constantFrom(...DANGEROUS), { maxLength: 30 }).map((pieces) => pieces.join('')),
);

const answer = fc.record({
  taskName: anyText,
  step: fc.option(anyText, { nil: null }),
  reason: fc.option(anyText, { nil: null }),
  logTail: fc.array(anyText, { maxLength: 40 }),
  annotation: fc.option(fc.record({ message: anyText, path: fc.option(anyText, { nil: null }), line: fc.option(fc.integer({ min: -5, max: 1e9 }), { nil: null }) }), { nil: null }),
});

/** Markup a server would read: any `<`, or an `&` that does not start one of the three entities escaping writes. */
function readsAsMarkup(body: string): boolean {
  return body.includes('<') || body.includes('>') || /&(?!(amp|lt|gt);)/.test(body);
}

function unescape(body: string): string {
  return body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function labels(entries: readonly MenuEntry[]): string[] {
  return entries.flatMap((entry) => (entry.type === 'separator' ? [] : entry.type === 'submenu' ? [entry.label, ...labels(entry.items)] : [entry.label]));
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A GitLab job log's end as a hostile runner or job could write it: the pieces above between
 * section markers (well-formed and broken), timestamp prefixes (continuations among them),
 * carriage returns and colour codes, cut at any byte.
 */
const gitlabPiece = fc.oneof(
  anyText,
  fc.constantFrom('\u001b[0Ksection_start:1764580340:step_script\r\u001b[0K', '\u001b[0Ksection_end:1764580371:step_script\r\u001b[0K', 'section_start:1:x[collapsed=true]\r\u001b[0K', 'section_end:9:<b>\r',
    '2026-12-01T09:02:11.998877Z 00O ', '2026-12-01T09:02:11.998900Z 00E+', '\u001b[31;1m', '\u001b[0;m', '\u001b[0K', '\r', '\n', 'ERROR: Job failed: exit code 1'),
);
const gitlabTrace = fc.record({ pieces: fc.array(gitlabPiece, { maxLength: 60 }), cut: fc.nat(), fromStart: fc.boolean(), taskName: anyText, reason: fc.option(anyText, { nil: null }) }).map(({ pieces, cut, fromStart, taskName, reason }) => {
  const log = pieces.join('');
  return { taskName, step: null, reason, logTail: gitlabTraceLines(log.slice(cut % (log.length + 1)), { fromStart }), annotation: null };
});

describe('failure detail text from a CI', () => {
  it('reaches the notification and the tray as a few clean lines, and every markup-reading notifier gets it escaped', async () => {
    await fc.assert(fc.asyncProperty(answer, showsCleanly), { numRuns: 300 });
  });

  it('a GitLab job log, whatever it holds, is shown the same way: a few clean lines, escaped for markup', async () => {
    await fc.assert(fc.asyncProperty(gitlabTrace, showsCleanly), { numRuns: 300 });
  });

  it('is cut to its bounds by the providers, so the event schema never refuses a delivery for its length', () => {
    fc.assert(
      fc.property(fc.oneof(answer, gitlabTrace), (raw) => {
        const detail = boundFailureDetail(raw);
        expect(failureDetailSchema.safeParse(detail).success).toBe(true);
        expect(detail.logTail.length).toBeLessThanOrEqual(10);
        for (const line of detail.logTail) expect(line.length).toBeLessThanOrEqual(500);
        expect((detail.step ?? '').length).toBeLessThanOrEqual(200);
        expect((detail.annotation?.message ?? '').length).toBeLessThanOrEqual(1000);
      }),
      { numRuns: 500 },
    );
  });
});

/** A provider's answer, as the engine gets it, shown: the notification, what each notifier is given, the tray. */
async function showsCleanly(raw: RawFailureDetail & { readonly taskName: string }): Promise<void> {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const port: FailureDetailPort = {
    supports: () => true,
    // As a provider hands it over: cut to the bounds, otherwise raw.
    fetch: async () => [{ taskId: 't1', taskName: raw.taskName.slice(0, 1000), taskUrl: 'https://cirrus-ci.com/task/t1', detail: boundFailureDetail(raw) }],
  };
  const engine = createEngine({
    settings: settingsSchema.parse({}), clock: time.clock, timers: time.timers, notifier, opener: async () => {},
    localMinutesOfDay: () => 12 * 60, failureDetail: port,
  });
  try {
    engine.handle(buildEvent({ state: 'running', at: time.now, task: { id: 't1', name: 'lint', state: 'failed' } }));
    engine.handle(buildEvent({ state: 'failed', at: time.now }));
    await settle();
    const intent = notifier.onScreen.get('build:cirrus:1')!;
    // The answer arrived and updated the notification.
    expect(notifier.shown.length).toBe(2);
    const lines = intent.body.split('\n');
    // Title, initiator, failed tasks; then at most the step line, the annotation and three log lines.
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.filter((line) => line.startsWith('> ')).length).toBeLessThanOrEqual(3);
    for (const line of lines) {
      expect(isDisplaySafe(line), JSON.stringify(line)).toBe(true);
      expect(Array.from(line).length).toBeLessThanOrEqual(120);
    }
    // What the notifiers are given: the body clean, and escaped wherever a server reads markup.
    const clean = displayIntent(intent).body;
    expect(clean).toBe(intent.body);
    const freedesktop = bodyFor(intent, true);
    const sendArgs = notifySendArgs(intent, undefined);
    const electronLinux = notificationOptions(intent, 'linux').body ?? '';
    for (const escaped of [freedesktop, sendArgs.at(-1)!, electronLinux]) {
      expect(readsAsMarkup(escaped), JSON.stringify(escaped)).toBe(false);
      expect(unescape(escaped)).toBe(clean);
    }
    const model = engine.trayModel();
    for (const line of model.recentBuilds[0]!.failureDetail ?? []) expect(isDisplaySafe(line), JSON.stringify(line)).toBe(true);
    for (const label of labels(trayMenu(model, { now: time.now, formatTime: () => '14:30', tomorrowMorning: time.now + 1 }))) {
      expect(isDisplaySafe(label), JSON.stringify(label)).toBe(true);
    }
  } finally {
    engine.close();
  }
}
