/**
 * A token label is anyone's text: whatever a teammate named their token, "… is on it" reaches a
 * D-Bus notification server that reads markup, the tray menu and the window's model as one clean
 * line, and never forges a line of a notification's body nor opens a tag. (The terminal's half is
 * test/cli/terminalOutput.property.test.ts, the window's DOM in test/app/renderer.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEvent } from '../../../test/support/engineEvents.js';
import { BuildTracker } from '../../core/engine/buildTracker.js';
import { describeBuildNotification } from '../../core/engine/notificationContent.js';
import { buildTrayModel } from '../../core/engine/trayModel.js';
import { displayIntent } from '../../core/text/displayIntent.js';
import { isDisplaySafe } from '../../core/text/displayText.js';
import { trayMenu } from '../tray/trayMenu.js';
import { bodyFor } from './freedesktopFormat.js';

const HOSTILE = ['<b>', '</b>', '<a href="https://evil.example">', '&amp;', '&', '<', '>', '\n', '\r\n', '\u2028', '\x00', '\x1b]0;owned\x07', '\u009b31m', '\u202e', '\u2066', '\ud800'];
const label = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''))
  .filter((text) => text.length > 0 && text.length <= 200);
const people = fc.array(fc.record({ name: label, own: fc.boolean() }), { minLength: 1, maxLength: 4 });

function failedBuild() {
  const tracker = new BuildTracker();
  tracker.apply(buildEvent({ state: 'failed', title: null, initiator: null }));
  return tracker.get('cirrus:1')!;
}

/** Markup a server would obey: a tag, or an ampersand that does not start one of the escapes. */
const MARKUP = /<|>|&(?!(?:amp|lt|gt);)/;

describe('a token label as "… is on it"', () => {
  it('is one escaped body line in a D-Bus notification that reads markup', () => {
    fc.assert(
      fc.property(people, (onIt) => {
        const intent = displayIntent(describeBuildNotification(failedBuild(), 'failed', { actionsAvailable: false, onIt }));
        // No title, no initiator, no task: the body is the on-it line alone.
        expect(intent.body.split('\n')).toHaveLength(1);
        expect(intent.body).toMatch(/ (is|are) on it$|^You're on it$/);
        expect(isDisplaySafe(intent.body)).toBe(true);
        expect(bodyFor(intent, true)).not.toMatch(MARKUP);
      }),
      { numRuns: 300 },
    );
  });

  it('is clean in the tray model (the window) and in the tray menu', () => {
    fc.assert(
      fc.property(people, (onIt) => {
        const model = buildTrayModel({
          builds: [failedBuild()], branchOutcomes: [], events: [], repositories: [], connections: [],
          visibility: { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } },
          pausedUntil: null, quietHours: false, canAct: () => false,
          onIt: () => onIt.map((person, index) => ({ ...person, at: index })),
        });
        const said = model.recentBuilds[0]!.onIt!;
        for (const text of [said.line, ...said.names]) expect(isDisplaySafe(text)).toBe(true);
        const labels = trayMenu(model, { now: 0, formatTime: String, tomorrowMorning: 1 }).flatMap((entry) => (entry.type === 'separator' ? [] : [entry.label]));
        expect(labels.filter((text) => text.startsWith('↳ '))).toHaveLength(1);
        for (const text of labels) expect(isDisplaySafe(text)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
