/**
 * Hostile text in GitLab's payloads and API answers, as a class: whatever a Pipeline Hook, a Job
 * Hook or a REST v4 listing carries in its texts (job names, refs, commit titles and messages,
 * usernames, project paths), decoding and polling answer with events or a typed refusal, and what
 * reaches the notifications and the tray is display-safe (`isDisplaySafe`). A failure found by
 * the poller opens the failed job's page, as one told by a hook does.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { gitlabPipelineEvents } from '../../src/client/sources/gitlab/pollDiff.js';
import { defaultSettings } from '../../src/client/settings/schema.js';
import { parseJsonLosslessly } from '../../src/core/json.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import type { NotificationIntent } from '../../src/core/ports.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { trayMenu, trayTooltip, type MenuEntry } from '../../src/client/tray/trayMenu.js';
import { apiJobSchema, apiPipelineSchema, apiProjectSchema } from '../../src/providers/gitlab/api/responses.js';
import { decodeGitlabDelivery } from '../../src/providers/gitlab/webhooks.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { FakeTime } from '../support/fakeTime.js';

const fixture = (name: string): Record<string, unknown> => parseJsonLosslessly(readFileSync(new URL(`../fixtures/gitlab/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Pieces that broke a sink or a reader before: NUL, OSC title and hyperlink, CSI, C1, bidi, line breaks, lone surrogates. */
const DANGEROUS = ['\u0000', '\u001b]0;pwned\u0007', '\u001b]8;;https://evil.example/\u001b\\', '\u001b[31m', '\u009b2J', '\u202e', '\u2066', '\u061c', '\u2028', '\n', '\r\n', '\t', '\u007f', '\ud800', '😀', 'é', '<b>', '&', 'main'];
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.constantFrom(...DANGEROUS), { minLength: 1, maxLength: 16 }).map((pieces) => pieces.join('')),
);
/** A path segment GitLab's path check lets through: no slash, no whitespace; anything else goes. */
const segment = anyText.map((text) => text.replace(/[\s/]/g, '') || 'x');

/** A segment as a sender would put it in a URL (a lone surrogate cannot be percent-encoded). */
const urlSegment = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));

function menuLabels(entries: readonly MenuEntry[]): string[] {
  return entries.flatMap((entry) => (entry.type === 'separator' ? [] : entry.type === 'submenu' ? [entry.label, ...menuLabels(entry.items)] : [entry.label]));
}

/** Feeds the events to a real engine; returns what it showed, its tray texts and what a click on the failure opens. */
async function throughEngine(events: readonly NormalisedEvent[]) {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const opened: string[] = [];
  const engine = createEngine({
    settings: defaultSettings(),
    clock: time.clock,
    timers: time.timers,
    notifier,
    opener: async (url) => void opened.push(url),
    localMinutesOfDay: () => 12 * 60,
  });
  try {
    for (const event of events) engine.handle(event);
    time.advance(60_000);
    const model = engine.trayModel();
    const texts = [
      ...notifier.shown.flatMap((intent: NotificationIntent) => [intent.title, ...intent.body.split('\n'), ...intent.actions.map((a) => a.label)]),
      ...menuLabels(trayMenu(model, { now: time.now, formatTime: () => '14:30', tomorrowMorning: time.now + 3_600_000 })),
      trayTooltip(model),
    ];
    const failure = notifier.shown.find((intent) => intent.urgency === 'critical');
    if (failure) await engine.activate(failure.key, 'open');
    return { texts, failure, opened };
  } finally {
    engine.close();
  }
}

const expectSafe = (texts: readonly string[]) => {
  for (const text of texts) expect(isDisplaySafe(text), JSON.stringify(text)).toBe(true);
};

describe('hostile text in GitLab hooks', () => {
  it('decodes to events or a refusal, and what the engine shows is display-safe', async () => {
    const hostile = fc.record({ jobName: anyText, ref: anyText, message: anyText, title: anyText, username: anyText, group: segment, project: segment, mrBranch: anyText });
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (h) => {
        const pipeline = fixture('pipeline/failed.merge-request.json') as Record<string, Record<string, unknown>>;
        const job = fixture('job/failed.json') as Record<string, Record<string, unknown> | unknown>;
        const path = `${h.group}/${h.project}`;
        const pipelineBody = {
          ...pipeline,
          object_attributes: { ...pipeline['object_attributes'], ref: h.ref },
          merge_request: { ...pipeline['merge_request'], source_branch: h.mrBranch },
          user: { ...pipeline['user'], username: h.username },
          project: { ...pipeline['project'], path_with_namespace: path },
          commit: { ...pipeline['commit'], title: h.title, message: h.message },
        };
        const jobBody = {
          ...job,
          build_name: h.jobName,
          ref: h.ref,
          user: { ...(job['user'] as object), username: h.username },
          commit: { ...(job['commit'] as object), message: h.message },
          repository: { ...(job['repository'] as object), homepage: `https://gitlab.com/${urlSegment(h.group)}/${urlSegment(h.project)}` },
        };
        const events: NormalisedEvent[] = [];
        for (const [type, body] of [['Job Hook', jobBody], ['Pipeline Hook', pipelineBody]] as const) {
          const decoding = decodeGitlabDelivery(type, JSON.parse(JSON.stringify(body)), { id: `${type}:${events.length}`, receivedAt: 1 });
          expect(['event', 'invalid']).toContain(decoding.kind);
          if (decoding.kind === 'event') events.push(decoding.event);
        }
        decoded += events.length;
        const { texts } = await throughEngine(events);
        expectSafe(texts);
      }),
      { numRuns: 120 },
    );
    // The texts were let through, not all refused: the engine had hostile events to show.
    expect(decoded).toBeGreaterThan(120);
  });
});

describe('hostile text in GitLab API answers, through the poller\'s diff', () => {
  it('makes display-safe notifications, and the failure opens the failed job', async () => {
    const hostile = fc.record({ jobName: anyText, ref: anyText, title: anyText, message: anyText, username: anyText, group: segment, project: segment });
    await fc.assert(
      fc.asyncProperty(hostile, async (h) => {
        const project = apiProjectSchema.safeParse({ id: 1, path_with_namespace: `${h.group}/${h.project}`, web_url: 'https://gitlab.com/x/y', visibility: 'public' });
        if (!project.success) return; // refused at the boundary: nothing to show
        const web = 'https://gitlab.com/acme/web';
        const pipeline = (status: string, updatedAt: string) => apiPipelineSchema.parse({ id: 77, ref: h.ref, status, updated_at: updatedAt, web_url: `${web}/-/pipelines/77` });
        const job = (status: string) =>
          apiJobSchema.parse({ id: 5, name: h.jobName, status, web_url: `${web}/-/jobs/5`, user: { username: h.username }, commit: { title: h.title, message: h.message } });
        const before = { pipeline: pipeline('running', 'a'), jobs: [job('running')] };
        const events = [
          ...gitlabPipelineEvents(project.data, undefined, before.pipeline, before.jobs, 1),
          ...gitlabPipelineEvents(project.data, before, pipeline('failed', 'b'), [job('failed')], 2),
        ];
        const { texts, failure, opened } = await throughEngine(events);
        expectSafe(texts);
        expect(failure).toBeDefined();
        expect(opened).toEqual([`${web}/-/jobs/5`]);
      }),
      { numRuns: 120 },
    );
  });
});
