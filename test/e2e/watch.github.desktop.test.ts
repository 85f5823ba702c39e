/**
 * The GitHub Actions path a user lives with, on a real desktop: `buildbell simulate --provider
 * github` POSTs signed workflow_run / workflow_job deliveries to a real relay, `buildbell watch`
 * streams them and raises a real notification through dunst, and a real click (xdotool) on it
 * opens the failed run's (or job's) page on github.com (a recording opener stands in for the
 * browser). Also `watch --demo --provider github`: the embedded GitHub simulator, no relay.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRelayDatabase } from '../../src/relay/database.js';
import { requireDesktop, startDesktop, type Desktop } from '../support/desktop.js';
import { killStartedProcesses, runBuildbell, startRelayProcess } from '../support/processes.js';
import { createRecordingOpener, type RecordingOpener } from '../support/recordingOpener.js';
import { seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { projectRoot } from '../support/shared.js';
import { makeTempDir } from '../support/temp.js';

/** The page of the opening scene's failed acme/web run, or of its failed job, on github.com. */
const GITHUB_FAILURE_PAGE = /^https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+(\/job\/\d+)?$/;

let desktop: Desktop;
let opener: RecordingOpener | undefined;
const temp = makeTempDir();

beforeAll(async () => {
  await requireDesktop();
  desktop = await startDesktop();
});

afterEach(async () => {
  await killStartedProcesses();
  await opener?.remove();
  opener = undefined;
  await desktop.clearNotifications();
});

afterAll(async () => {
  await desktop?.stop();
  temp.remove();
});

/** What the relay stored: every GitHub event, and the pages of its failed runs and failed jobs. */
function storedGithubEvents(database: string) {
  const db = openRelayDatabase(database);
  try {
    const rows = db.prepare('SELECT event FROM events WHERE event IS NOT NULL').pluck().all() as string[];
    const events = rows.map((json) => JSON.parse(json) as {
      provider: string;
      build: { url: string; state: string };
      task: { url: string; state: string } | null;
    });
    const failurePages = new Set(events.flatMap((event) => [event.build, event.task].flatMap((item) => (item?.state === 'failed' ? [item.url] : []))));
    return { providers: new Set(events.map((event) => event.provider)), failurePages };
  } finally {
    db.close();
  }
}

function watchEnv(configDir: string): NodeJS.ProcessEnv {
  return { ...desktop.env, XDG_CONFIG_HOME: configDir, BUILDBELL_OPENER: opener!.executable };
}

describe('buildbell watch on a real desktop, GitHub Actions', () => {
  it('relay fed by simulate --provider github → real notification → real click opens the failed run on github.com', async () => {
    opener = await createRecordingOpener();
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    const { token } = seeded.issueToken();
    const relay = await startRelayProcess(seeded.file);

    const configDir = path.join(temp.dir, 'config-relay');
    const watch = runBuildbell(['watch', '--relay', relay.url.replace('http', 'ws'), '--token', token], watchEnv(configDir));
    await watch.waitForOutput(/connected to relay 127\.0\.0\.1:\d+/);
    expect(watch.stderr()).toContain('notifications through desktop notifications over D-Bus');

    const simulator = runBuildbell(['simulate', '--provider', 'github', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET, '--speed', '3', '--seed', '1', '--quiet']);
    await simulator.waitForOutput(/REST API: +http:\/\/127\.0\.0\.1:\d+/);
    // The opening scene fails a run of acme/web within about 13 s of simulated time: under 5 s at this speed.
    await watch.waitForOutput(/failed https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+/, 12_000);
    await expect.poll(() => desktop.displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await desktop.screenshot(path.join(projectRoot, 'test-results', 'e2e-watch-github.png'));

    // dunst puts the critical (failed) notification on top; the click opens its failure.
    await desktop.clickNotification();
    const url = await opener.waitForUrl(5000);
    expect(url).toMatch(GITHUB_FAILURE_PAGE);
    const stored = storedGithubEvents(seeded.file);
    expect([...stored.providers]).toEqual(['github']);
    expect(stored.failurePages.has(url)).toBe(true);
    simulator.child.kill('SIGTERM');
    expect(await simulator.exited()).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('watch --demo --provider github: the embedded GitHub simulator, a notification within seconds, a click opens the failure', async () => {
    opener = await createRecordingOpener();
    const configDir = path.join(temp.dir, 'config-demo');
    const watch = runBuildbell(['watch', '--demo', '--provider', 'github', '--speed', '3'], watchEnv(configDir));
    await watch.waitForOutput(/connected to demo \(built-in GitHub simulator\)/);
    await watch.waitForOutput(/failed https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+/, 12_000);
    await expect.poll(() => desktop.displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await desktop.clickNotification();
    expect(await opener.waitForUrl(5000)).toMatch(GITHUB_FAILURE_PAGE);
  }, 30_000);
});
