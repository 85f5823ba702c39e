/**
 * The GitLab CI path a user lives with, on a real desktop: `buildbell simulate --provider gitlab`
 * POSTs Pipeline Hook and Job Hook deliveries (the channel secret as X-Gitlab-Token) to a real
 * relay, `buildbell watch` streams them and raises a real notification through dunst, and a real
 * click (xdotool) on it opens the failed job's page on gitlab.com (a recording opener stands in for
 * the browser). Also `watch --demo --provider gitlab`: the embedded GitLab simulator, no relay.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildbell } from '../support/processes.js';
import { TEST_SECRET } from '../support/relay.js';
import { projectRoot } from '../support/paths.js';
import { startRelayAndWatch, storedEvents, useEndToEndDesktop } from '../support/e2e.js';

/** The page of the opening scene's failed acme/web job (or its pipeline) on gitlab.com. */
const GITLAB_FAILURE_PAGE = /^https:\/\/gitlab\.com\/acme\/web\/-\/(jobs|pipelines)\/\d+$/;

const e2e = await useEndToEndDesktop();

describe.skipIf(e2e.gate.skip)(`buildbell watch on a real desktop, GitLab CI${e2e.gate.skipNote}`, () => {
  it('relay fed by simulate --provider gitlab → real notification → real click opens the failed job on gitlab.com', async () => {
    const opener = await e2e.opener();
    const { database, relayUrl, watch } = await startRelayAndWatch(e2e, opener);
    const simulator = runBuildbell(['simulate', '--provider', 'gitlab', '--relay', `${relayUrl}/hooks/acme`, '--secret', TEST_SECRET, '--speed', '3', '--seed', '1', '--quiet']);
    await simulator.waitForOutput(/REST API: +http:\/\/127\.0\.0\.1:\d+/);
    // The opening scene fails a pipeline of acme/web within about 15 s of simulated time.
    await watch.waitForOutput(/acme\/web · main failed https:\/\/gitlab\.com\/acme\/web\/-\/jobs\/\d+/, 12_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await e2e.desktop().screenshot(path.join(projectRoot, 'test-results', 'e2e-watch-gitlab.png'));

    await e2e.desktop().clickNotification();
    const url = await opener.waitForUrl(5000);
    expect(url).toMatch(GITLAB_FAILURE_PAGE);
    const stored = storedEvents(database);
    expect([...stored.providers]).toEqual(['gitlab']);
    expect(stored.failurePages.has(url)).toBe(true);
    simulator.child.kill('SIGTERM');
    expect(await simulator.exited()).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('watch --demo --provider gitlab: the embedded GitLab simulator, a notification within seconds, a click opens the failed job', async () => {
    const opener = await e2e.opener();
    const configDir = path.join(e2e.temp.dir, 'config-demo-gitlab');
    const watch = runBuildbell(['watch', '--demo', '--provider', 'gitlab', '--speed', '3'], e2e.watchEnv(configDir, opener));
    await watch.waitForOutput(/demo \(GitLab\): connected/);
    await watch.waitForOutput(/failed https:\/\/gitlab\.com\/acme\/web\/-\/jobs\/\d+/, 12_000);
    await expect.poll(() => e2e.desktop().displayedCount(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await e2e.desktop().clickNotification();
    expect(await opener.waitForUrl(5000)).toMatch(GITLAB_FAILURE_PAGE);
  }, 30_000);
});
