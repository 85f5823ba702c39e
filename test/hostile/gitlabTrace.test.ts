/**
 * A hostile GitLab (or anything between it and the desktop) answering a job log request (issue
 * #17): a log written to attack the terminal, the notification server and the reader; a Range
 * answer that lies about its size; an error page without end; a connection cut midway. Each ends
 * as a few clean lines or no log at all, within the byte and time bounds, and GitLab's reason is
 * still told.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { bodyFor } from '../../src/client/notifiers/freedesktopFormat.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createGitlabFailureDetail } from '../../src/client/sources/gitlab/failureDetail.js';
import { RateGate } from '../../src/client/sources/rateGate.js';
import type { FailureDetailRequest } from '../../src/core/failureDetailPort.js';
import { silentLogger } from '../../src/core/ports.js';
import { displayLine, isDisplaySafe } from '../../src/core/text/displayText.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { buildEvent } from '../support/engineEvents.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { countingFetch, gitlabApiServers } from '../support/gitlabApiServer.js';

const ESC = '\u001b';
const MiB = 1024 * 1024;

const servers = gitlabApiServers();
afterEach(() => servers.close());
const serve = servers.serve;


const request: FailureDetailRequest = {
  provider: 'gitlab', repository: { owner: 'acme', name: 'web' }, buildId: '1', buildUrl: 'https://gitlab.com/acme/web/-/pipelines/1',
  tasks: [{ id: '8120400055', name: 'unit tests', url: 'https://gitlab.com/acme/web/-/jobs/8120400055', known: { step: null, reason: 'script_failure', logTail: [], annotation: null } }],
};
const reasonOnly = { step: null, reason: 'script_failure', logTail: [], annotation: null };

/** Every attack on a terminal, a notification server and a reader that fits in a log's last lines. */
const ATTACKS = Buffer.concat([
  // A line longer than the tail read: its end is cut away with it, and what follows is the log's end.
  Buffer.from(`${'A'.repeat(300_000)}\n`),
  Buffer.from(`${ESC}]0;you have been pwned${'\u0007'}window title\n`),
  Buffer.from(`${ESC}]52;c;cm0gLXJmIH4=${'\u0007'}clipboard\n`),
  Buffer.from(`${ESC}]8;;https://evil.example/${ESC}\\click here${ESC}]8;;${ESC}\\\n`),
  Buffer.from(`${ESC}[2J${ESC}[H\u009b2Jcleared ${ESC}P1$r0m${ESC}\\screen\n`),
  Buffer.from('bidi \u202eexe.tset\u202c and \u2066isolate\u2069 \u0000nul\u0007bell\n'),
  Buffer.from('<b>bold</b> <a href="https://evil.example">link</a> <img src=x onerror=alert(1)> &amp; <![CDATA[x]]>\n'),
  // A lone surrogate as UTF-8 would write it (not valid UTF-8), and a cut multi-byte character.
  Buffer.from([0x65, 0x76, 0x69, 0x6c, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xe2, 0x82, 0x0a]),
  Buffer.from(`section_end:1:<script>\r${ESC}[0K${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m\n`),
]);

describe('a hostile GitLab job log', () => {
  it('written to attack the terminal, the notification server and the reader, reaches the notification as a few clean, escaped lines', async () => {
    const baseUrl = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(ATTACKS));
    const notifier = new RecordingNotifier();
    const engine = createEngine({
      settings: settingsSchema.parse({}), clock: Date.now, notifier, opener: async () => {}, logger: silentLogger, localMinutesOfDay: () => 12 * 60,
      failureDetail: createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: new RateGate(Date.now, 0) }),
    });
    try {
      const at = Date.now();
      const build = { provider: 'gitlab' as const };
      engine.handle(buildEvent({ ...build, state: 'running', at, task: { id: '8120400055', name: 'unit tests', state: 'failed' } }));
      engine.handle(buildEvent({ ...build, state: 'failed', at }));
      const key = [...notifier.onScreen.keys()][0]!;
      await expect.poll(() => notifier.onScreen.get(key)!.body, { timeout: 5_000 }).toMatch(/\n> ERROR: Job failed: exit code 1$/);
      const body = notifier.onScreen.get(key)!.body;
      for (const line of body.split('\n')) {
        expect(isDisplaySafe(line), JSON.stringify(line)).toBe(true);
        expect(Array.from(line).length).toBeLessThanOrEqual(120);
      }
      expect(body).not.toMatch(/pwned|evil\.example\/|cm0gLXJmIH4=/);
      // A markup-reading notification server gets the tags as text.
      const escaped = bodyFor(notifier.onScreen.get(key)!, true);
      expect(escaped).toContain('&lt;b&gt;bold&lt;/b&gt;');
      expect(escaped).not.toMatch(/<(?!\/?[bi]>)/);
      const detail = engine.trayModel().recentBuilds[0]!.failureDetail ?? [];
      expect(detail.join('\n')).toMatch(/cleared screen[\s\S]*bidi exe\.tset[\s\S]*ERROR: Job failed/);
      for (const line of detail) expect(isDisplaySafe(line), JSON.stringify(line)).toBe(true);
      // All ten lines kept (the window shows them): every attack line among them, defused when shown.
      const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
      const shown = (await port.fetch(request, new AbortController().signal))[0]!.detail.logTail.map((line) => displayLine(line));
      expect(shown.slice(0, 3)).toEqual(['window title', 'clipboard', 'click here']);
      expect(shown.join('\n')).not.toMatch(/pwned|evil\.example\/|cm0gLXJmIH4=|AAAA/);
    } finally {
      engine.close();
    }
  });

  it('a Range answer that says 32 bytes and sends 20 MB is read only to the cap', async () => {
    let closedEarly = false;
    const baseUrl = await serve((_req, res) => {
      res.writeHead(206, { 'content-type': 'text/plain', 'content-range': 'bytes 0-31/32' });
      let left = 20 * MiB;
      const chunk = Buffer.alloc(64 * 1024, 'lie\n');
      const more = () => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => (closedEarly = left > 0));
      more();
    });
    const { fetch, read } = countingFetch();
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't', fetch }), { webHost: undefined, gate: new RateGate(Date.now, 0), trace: { maxBytes: MiB } });
    expect((await port.fetch(request, new AbortController().signal))[0]!.detail).toEqual(reasonOnly);
    expect(read()).toBeLessThanOrEqual(MiB + 64 * 1024);
    await expect.poll(() => closedEarly, { timeout: 5_000 }).toBe(true);
  });

  it('an error page without end is read for its first kilobytes only', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, '<p>Bad gateway</p>');
      const more = () => {
        while (res.write(chunk));
        res.once('drain', more);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      more();
    });
    const { fetch, read } = countingFetch();
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't', fetch }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
    expect((await port.fetch(request, new AbortController().signal))[0]!.detail).toEqual(reasonOnly);
    expect(read()).toBeLessThanOrEqual(64 * 1024 + 4096);
  });

  it('a connection cut midway is no log, and nothing is thrown past the port', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('half a log\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const port = createGitlabFailureDetail(createGitlabApi({ baseUrl, token: 't' }), { webHost: undefined, gate: new RateGate(Date.now, 0) });
    expect((await port.fetch(request, new AbortController().signal))[0]!.detail).toEqual(reasonOnly);
  });
});
