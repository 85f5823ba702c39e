/**
 * The whole path a user lives with, on a real desktop: the simulator POSTs signed webhooks to a
 * real relay, `buildbell watch` streams them and raises a real notification through dunst, a real
 * click (xdotool) on it opens the build page (a recording opener stands in for the browser).
 * Also `npm run demo`'s path: watch with the embedded simulator, no relay.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildbell } from '../support/processes.js';
import { TEST_SECRET } from '../support/relay.js';
import { projectRoot } from '../support/paths.js';
import { startRelayAndWatch, storedEvents, useEndToEndDesktop } from '../support/e2e.js';

const e2e = await useEndToEndDesktop();

describe.skipIf(e2e.gate.skip)(`buildbell watch on a real desktop${e2e.gate.skipNote}`, () => {
  it('relay fed by the simulator → real notification → real click opens the build page', async () => {
    const opener = await e2e.opener();
    const { database, relayUrl, watch } = await startRelayAndWatch(e2e, opener);
    expect(watch.stderr()).toContain('notifications through desktop notifications over D-Bus');

    const simulator = runBuildbell(['simulate', '--relay', `${relayUrl}/hooks/acme`, '--secret', TEST_SECRET, '--speed', '3', '--seed', '1', '--quiet']);
    // The opening scene fails a build within 15 s of simulated time: 5 s at this speed.
    await watch.waitForOutput(/failed https:\/\/cirrus-ci\.com\/(build|task)\/\d+/, 20_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await e2e.desktop().screenshot(path.join(projectRoot, 'test-results', 'e2e-watch-relay.png'));

    // dunst puts the critical (failed) notification on top; the click opens its failure.
    await e2e.desktop().clickNotification();
    const url = await opener.waitForUrl(5000);
    expect(url).toMatch(/^https:\/\/cirrus-ci\.com\/(build|task)\/\d+$/);
    expect(storedEvents(database).failurePages.has(url)).toBe(true);
    simulator.child.kill('SIGTERM');
  }, 60_000);

  it('npm run demo: the embedded simulator, a notification within seconds, a click opens it', async () => {
    const opener = await e2e.opener();
    const configDir = path.join(e2e.temp.dir, 'config-demo');
    const watch = runBuildbell(['watch', '--demo', '--speed', '3'], e2e.watchEnv(configDir, opener));
    await watch.waitForOutput(/demo[^:\n]*: connected/);
    await watch.waitForOutput(/failed https:\/\/cirrus-ci\.com\/(build|task)\/\d+/, 20_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await e2e.desktop().clickNotification();
    expect(await opener.waitForUrl(5000)).toMatch(/^https:\/\/cirrus-ci\.com\/(build|task)\/\d+$/);
  }, 60_000);
});
