/**
 * The GitHub Actions path a user lives with, on a real desktop: `buildbell simulate --provider
 * github` POSTs signed workflow_run / workflow_job deliveries to a real relay, `buildbell watch`
 * streams them and raises a real notification through dunst, and a real click (xdotool) on it
 * opens the failed run's (or job's) page on github.com (a recording opener stands in for the
 * browser). Also `watch --demo --provider github`: the embedded GitHub simulator, no relay.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildbell } from '../support/processes.js';
import { TEST_SECRET } from '../support/relay.js';
import { projectRoot } from '../support/paths.js';
import { startRelayAndWatch, storedEvents, useEndToEndDesktop } from '../support/e2e.js';

/** The page of the opening scene's failed acme/web run, or of its failed job, on github.com. */
const GITHUB_FAILURE_PAGE = /^https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+(\/job\/\d+)?$/;

const e2e = await useEndToEndDesktop();

describe.skipIf(e2e.gate.skip)(`buildbell watch on a real desktop, GitHub Actions${e2e.gate.skipNote}`, () => {
  it('relay fed by simulate --provider github → real notification → real click opens the failed run on github.com', async () => {
    const opener = await e2e.opener();
    const { database, relayUrl, watch } = await startRelayAndWatch(e2e, opener);
    expect(watch.stderr()).toContain('notifications through desktop notifications over D-Bus');

    const simulator = runBuildbell(['simulate', '--provider', 'github', '--relay', `${relayUrl}/hooks/acme`, '--secret', TEST_SECRET, '--speed', '3', '--seed', '1', '--quiet']);
    await simulator.waitForOutput(/REST API: +http:\/\/127\.0\.0\.1:\d+/);
    // The opening scene fails a run of acme/web within about 13 s of simulated time: under 5 s at this speed.
    await watch.waitForOutput(/failed https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+/, 12_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await e2e.desktop().screenshot(path.join(projectRoot, 'test-results', 'e2e-watch-github.png'));

    // dunst puts the critical (failed) notification on top; the click opens its failure.
    await e2e.desktop().clickNotification();
    const url = await opener.waitForUrl(5000);
    expect(url).toMatch(GITHUB_FAILURE_PAGE);
    const stored = storedEvents(database);
    expect([...stored.providers]).toEqual(['github']);
    expect(stored.failurePages.has(url)).toBe(true);
    simulator.child.kill('SIGTERM');
    expect(await simulator.exited()).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('watch --demo --provider github: the embedded GitHub simulator, a notification within seconds, a click opens the failure', async () => {
    const opener = await e2e.opener();
    const configDir = path.join(e2e.temp.dir, 'config-demo');
    const watch = runBuildbell(['watch', '--demo', '--provider', 'github', '--speed', '3'], e2e.watchEnv(configDir, opener));
    await watch.waitForOutput(/demo \(GitHub\): connected/);
    await watch.waitForOutput(/failed https:\/\/github\.com\/acme\/web\/actions\/runs\/\d+/, 12_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await e2e.desktop().clickNotification();
    expect(await opener.waitForUrl(5000)).toMatch(GITHUB_FAILURE_PAGE);
  }, 30_000);
});
