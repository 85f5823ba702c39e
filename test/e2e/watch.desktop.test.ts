/**
 * The whole path a user lives with, on a real desktop: the simulator POSTs signed webhooks to a
 * real relay, `buildbell watch` streams them and raises a real notification through dunst, a real
 * click (xdotool) on it opens the build page (a recording opener stands in for the browser).
 * Also `npm run demo`'s path: watch with the embedded simulator, no relay.
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

let desktop: Desktop;
let opener: RecordingOpener;
const temp = makeTempDir();

beforeAll(async () => {
  await requireDesktop();
  desktop = await startDesktop();
});

afterEach(async () => {
  await killStartedProcesses();
  await opener?.remove();
  await desktop.clearNotifications();
});

afterAll(async () => {
  await desktop?.stop();
  temp.remove();
});

/** The pages of failed builds and failed tasks the relay has stored: what a click on the failure opens. */
function failurePages(database: string): Set<string> {
  const db = openRelayDatabase(database);
  try {
    const rows = db.prepare('SELECT event FROM events WHERE event IS NOT NULL').pluck().all() as string[];
    return new Set(rows.flatMap((json) => {
      const event = JSON.parse(json) as { build: { url: string; state: string }; task: { url: string; state: string } | null };
      return [event.build, event.task].flatMap((item) => (item?.state === 'failed' ? [item.url] : []));
    }));
  } finally {
    db.close();
  }
}

function watchEnv(configDir: string): NodeJS.ProcessEnv {
  return { ...desktop.env, XDG_CONFIG_HOME: configDir, BUILDBELL_OPENER: opener.executable };
}

describe('buildbell watch on a real desktop', () => {
  it('relay fed by the simulator → real notification → real click opens the build page', async () => {
    opener = await createRecordingOpener();
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    const { token } = seeded.issueToken();
    const relay = await startRelayProcess(seeded.file);

    const configDir = path.join(temp.dir, 'config-relay');
    const watch = runBuildbell(['watch', '--relay', relay.url.replace('http', 'ws'), '--token', token], watchEnv(configDir));
    await watch.waitForOutput(/connected to relay 127\.0\.0\.1:\d+/);
    expect(watch.stderr()).toContain('notifications through desktop notifications over D-Bus');

    const simulator = runBuildbell(['simulate', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET, '--speed', '3', '--seed', '1', '--quiet']);
    // The opening scene fails a build within 15 s of simulated time: 5 s at this speed.
    await watch.waitForOutput(/failed https:\/\/cirrus-ci\.com\/(build|task)\/\d+/, 20_000);
    await expect.poll(() => desktop.displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await desktop.screenshot(path.join(projectRoot, 'test-results', 'e2e-watch-relay.png'));

    // dunst puts the critical (failed) notification on top; the click opens its failure.
    await desktop.clickNotification();
    const url = await opener.waitForUrl(5000);
    expect(url).toMatch(/^https:\/\/cirrus-ci\.com\/(build|task)\/\d+$/);
    expect(failurePages(seeded.file).has(url)).toBe(true);
    simulator.child.kill('SIGTERM');
  }, 60_000);

  it('npm run demo: the embedded simulator, a notification within seconds, a click opens it', async () => {
    opener = await createRecordingOpener();
    const configDir = path.join(temp.dir, 'config-demo');
    const watch = runBuildbell(['watch', '--demo', '--speed', '3'], watchEnv(configDir));
    await watch.waitForOutput(/connected to demo/);
    await watch.waitForOutput(/failed https:\/\/cirrus-ci\.com\/(build|task)\/\d+/, 20_000);
    await expect.poll(() => desktop.displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await desktop.clickNotification();
    expect(await opener.waitForUrl(5000)).toMatch(/^https:\/\/cirrus-ci\.com\/(build|task)\/\d+$/);
  }, 60_000);
});
