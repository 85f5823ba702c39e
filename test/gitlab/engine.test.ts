/**
 * GitLab in the engine, both ways in: the simulator's hooks (as a relay streams them) and the
 * poller on the simulator's API give the same notifications: a failed pipeline names its failed
 * job and opens its page; a pipeline that ran its first stages and now waits on a manual job asks
 * for approval, with an Approve button.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { createGitlabPoller } from '../../src/client/sources/gitlab/poller.js';
import { defaultSettings } from '../../src/client/settings/schema.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import { silentLogger } from '../../src/core/ports.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator, type GitlabSimulator } from '../../src/sim/gitlab/simulator.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { FakeTime } from '../support/fakeTime.js';

let sim: GitlabSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function engineWithNotifier() {
  const time = new FakeTime();
  const notifier = new RecordingNotifier();
  const opened: string[] = [];
  const engine = createEngine({ settings: defaultSettings(), clock: time.clock, timers: time.timers, notifier, opener: async (url) => void opened.push(url), localMinutesOfDay: () => 12 * 60, actions: { approve: async () => {}, rerunFailedTasks: async () => {} } });
  return { engine, notifier, opened, time };
}

/** What the notifications say, once the engine has shown them. */
async function told(feed: (handle: (event: NormalisedEvent) => void) => Promise<void>) {
  const { engine, notifier, opened, time } = engineWithNotifier();
  try {
    await feed((event) => engine.handle(event));
    time.advance(60_000);
    const onScreen = [...notifier.onScreen.values()];
    const firstFailure = notifier.shown.find((intent) => intent.title.includes('failed'));
    const failed = onScreen.find((intent) => intent.title.includes('failed'));
    if (failed) await engine.activate(failed.key, 'open');
    return { onScreen, failed, firstFailure, opened };
  } finally {
    engine.close();
  }
}

describe('GitLab pipelines in the engine', () => {
  it.each(['hooks', 'poller'] as const)('through the %s: a failure opens the failed job, a blocked pipeline asks for approval', async (way) => {
    sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
    const s = sim;
    const result = await told(async (handle) => {
      const poller = createGitlabPoller({ api: createGitlabApi({ baseUrl: s.apiUrl!, token: 'sim-read-token' }), repositories: ['acme/web', 'acme/platform/api'], clock: Date.now, logger: silentLogger, onEvent: handle });
      if (way === 'hooks') s.onEvent(({ event }) => handle(event));
      else await poller.pollNow();
      s.startPipeline({ project: 'acme/web', fail: true });
      s.startPipeline({ project: 'acme/platform/api', fail: false, manual: true });
      // Poll while the pipelines run, as a poller would between its intervals.
      for (let step = 0; step < 12; step += 1) {
        s.advance(2_000);
        if (way === 'poller') await poller.pollNow();
      }
    });
    const waiting = result.onScreen.find((intent) => intent.title.includes('needs approval'));
    expect(waiting, JSON.stringify(result.onScreen.map((i) => i.title))).toBeDefined();
    expect(waiting!.title).toContain('acme/platform/api');
    expect(waiting!.actions.map((action) => action.id)).toContain('approve');
    expect(result.failed).toBeDefined();
    expect(result.failed!.body).toMatch(/1 of 3 jobs failed/);
    // Told once, already naming the failed job: not first a failure without it, then an update.
    expect(result.firstFailure!.body).toMatch(/1 of 3 jobs failed/);
    expect(result.opened).toEqual([expect.stringMatching(/^https:\/\/gitlab\.com\/acme\/web\/-\/jobs\/\d+$/)]);
  });
});
