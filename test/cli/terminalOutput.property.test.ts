/**
 * Any text a payload carries (title, branch, repository, task name, URL, initiator) reaches the
 * terminal of `buildbell watch` without a control character: no C0 or C1 control, no escape
 * sequence, no bidi override. The real engine, terminal notifier, logger and view run on a TTY
 * stream replayed through a terminal emulator, and on a pipe.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { createLoggingNotifier } from '../../src/client/notifiers/loggingNotifier.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createStderrLogger } from '../../src/cli/logger.js';
import { createTerminalView } from '../../src/cli/terminalView.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import { FakeTime } from '../support/fakeTime.js';
import { TerminalScreen } from '../support/terminalScreen.js';

/** What an attacker would put in a commit title: OSC title and clipboard, OSC 8 links, C1 CSI, bidi, NUL, forged lines. */
const HOSTILE = ['\x1b]0;owned\x07', '\x1b]52;c;ZWNobyBoaQ==\x07', '\x1b]8;;https://evil.example\x1b\\', '\x1b[2J', '\u009b31m', '\u009d0;t\u009c',
  '\u202e', '\u2066', '\u200f', '\x00', '\r', '\n', '\u2028', '\x7f', '\x1b', '\x07', '\ud800'];
const hostileText = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...HOSTILE)), { maxLength: 8 }).map((parts) => parts.join(''));
const nonEmpty = (text: string) => (text === '' ? 'x' : text);

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Texts { title: string; branch: string; owner: string; name: string; task: string; initiator: string; path: string; by: string }

function events(texts: Texts, at: number): NormalisedEvent[] {
  const base = {
    provider: 'cirrus' as const, action: 'updated' as const, receivedAt: at,
    repository: { id: 'r1', owner: nonEmpty(texts.owner), name: nonEmpty(texts.name), private: false },
  };
  const build = (state: 'running' | 'failed', status: string) => ({
    id: '1', status, previousStatus: null, state, branch: texts.branch, sha: null, title: texts.title, pullRequest: null,
    initiator: texts.initiator, url: `https://cirrus-ci.com/build/1${texts.path}`, changedAt: null,
  });
  const task = { id: 't1', name: texts.task, status: 'FAILED', previousStatus: null, state: 'failed' as const, url: `https://cirrus-ci.com/task/t1${texts.path}` };
  return [
    { ...base, id: 'e1', kind: 'build', build: build('running', 'EXECUTING'), task: null },
    { ...base, id: 'e2', kind: 'task', build: build('running', 'EXECUTING'), task },
    { ...base, id: 'e3', kind: 'build', build: build('failed', 'FAILED'), task: null },
  ];
}

async function runWatchScreen(texts: Texts, tty: boolean): Promise<string> {
  const time = new FakeTime();
  const stream = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 100 } : {});
  let output = '';
  stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const view = createTerminalView(stream, 'buildbell watch', time.clock);
  const logger = createStderrLogger(view, () => new Date(time.now));
  const engine = createEngine({
    settings: settingsSchema.parse({}), clock: time.clock, timers: time.timers, logger,
    notifier: createLoggingNotifier(logger), opener: async () => {}, localMinutesOfDay: () => 12 * 60,
  });
  engine.onTrayModelChange((model) => view.render(model));
  engine.setConnection({ connected: false, source: `relay ${texts.owner}`, reason: texts.title });
  engine.setConnection({ connected: true, source: 'relay relay.acme.dev' });
  for (const event of events(texts, time.now)) engine.handle(event);
  // "I'm on it" from a teammate whose token label is hostile, and its withdrawal: the live block and the piped event lines say both.
  const word = { provider: 'cirrus' as const, repository: { id: 'r1', owner: nonEmpty(texts.owner), name: nonEmpty(texts.name), private: false }, buildId: '1', branch: texts.branch, by: nonEmpty(texts.by), at: time.now + 1 };
  engine.handleAcknowledgement({ ...word, active: true }, { own: false });
  engine.handleAcknowledgement({ ...word, by: `${nonEmpty(texts.by)} too`, active: true }, { own: false });
  engine.handleAcknowledgement({ ...word, active: false, at: time.now + 2 }, { own: false });
  // Let the notifier's promise settle, so its line is written.
  await new Promise((resolve) => setImmediate(resolve));
  engine.close();
  return output;
}

const textsArbitrary = fc.record({ title: hostileText, branch: hostileText, owner: hostileText, name: hostileText, task: hostileText, initiator: hostileText, path: hostileText, by: hostileText });

describe('text from payloads on the terminal', () => {
  it('reaches a TTY without control characters, escape sequences or bidi controls', async () => {
    await fc.assert(fc.asyncProperty(textsArbitrary, async (texts) => {
      const output = await runWatchScreen(texts, true);
      const screen = new TerminalScreen(40, 100);
      screen.write(output);
      // The emulator obeys only the view's own sequences; anything else lands here.
      expect(screen.unexpected).toEqual([]);
      for (const line of screen.history()) expect(line).not.toMatch(UNSAFE);
      expect(screen.history().some((line) => /^ {4}↳ .* is on it$/.test(line))).toBe(true);
    }), { numRuns: 150 });
  });

  it('reaches a pipe as plain lines: no escape or control character but the newline', async () => {
    await fc.assert(fc.asyncProperty(textsArbitrary, async (texts) => {
      const output = await runWatchScreen(texts, false);
      expect(output).not.toMatch(UNSAFE);
      expect(output).toMatch(/failed/);
      expect(output).toMatch(/ is on it: /);
      expect(output).toMatch(/ is not on it any more: /);
    }), { numRuns: 150 });
  });
});
