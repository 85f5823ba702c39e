/**
 * Issue 17's "done when", on a real desktop: two `buildbell watch` processes on one relay, each
 * with its own token (labelled "Ana" and "Ben"). A failed build notifies both through dunst; Ana
 * chooses "I'm on it" in her tray's menu (watch --tray, the dbusmenu Event a tray host sends), and
 * within a second Ben's watch says "Ana is on it" and dunst's notification of the failure is
 * replaced in place with the name in it. Withdrawn, Ben hears that too.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useEndToEndDesktop } from '../support/e2e.js';
import { projectRoot } from '../support/paths.js';
import { runBuildbell, startRelayProcess } from '../support/processes.js';
import { seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { TRAY_TOOLS, connectTrayClient, menuItems, startWatcher, until, type HostProcess, type TrayClient } from '../support/trayHost.js';

const e2e = await useEndToEndDesktop(TRAY_TOOLS);

let client: TrayClient | undefined;
const hosts: HostProcess[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0).reverse()) await host.stop();
  client?.close();
  client = undefined;
});

const labelOf = (item: { properties: Record<string, unknown> }) => String(item.properties['label'] ?? '').replaceAll('__', '_');

describe.skipIf(e2e.gate.skip)(`"I'm on it" between two watch processes on one relay${e2e.gate.skipNote}`, () => {
  it('Ana says she is on a failed build in her tray; Ben sees her name within a second, in his terminal and his notification', async () => {
    const desktop = e2e.desktop();
    const seeded = seedRelayDatabase(e2e.temp.dir, 'acme');
    const ana = seeded.issueToken([], 'acme', 'Ana');
    const ben = seeded.issueToken([], 'acme', 'Ben');
    const relay = await startRelayProcess(seeded.file);
    const wsUrl = relay.url.replace('http', 'ws');
    client = await connectTrayClient(desktop.busAddress);
    hosts.push(await startWatcher(desktop, client));
    const tray = client;

    const opener = await e2e.opener();
    const anaWatch = runBuildbell(['watch', '--relay', wsUrl, '--token', ana.token, '--tray'], e2e.watchEnv(path.join(e2e.temp.dir, 'config-ana'), opener));
    const benWatch = runBuildbell(['watch', '--relay', wsUrl, '--token', ben.token], e2e.watchEnv(path.join(e2e.temp.dir, 'config-ben'), opener));
    await Promise.all([anaWatch.waitForOutput(/relay 127\.0\.0\.1:\d+: connected/), benWatch.waitForOutput(/relay 127\.0\.0\.1:\d+: connected/)]);
    await until(() => anaWatch.stderr().includes('tray icon registered with the panel'), 15_000, () => `Ana's tray did not register:\n${anaWatch.stderr()}`);
    const service = `org.kde.StatusNotifierItem-${anaWatch.child.pid}-1`;

    // A CI's failed build (buildbell send's Cirrus sample: acme/widgets on main) reaches both.
    const sent = runBuildbell(['send', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET]);
    expect(await sent.exited()).toMatchObject({ code: 0 });
    await Promise.all([anaWatch.waitForOutput(/acme\/widgets · main failed/), benWatch.waitForOutput(/acme\/widgets · main failed/)]);
    const [firstFailure] = await desktop.received(2, 5000);
    expect(firstFailure!.summary).toBe('✗ acme/widgets · main failed');

    // Ana's tray offers "I'm on it" on the failed build; she chooses it as a host would.
    let onIt: { id: number } | undefined;
    await until(async () => {
      onIt = menuItems((await tray.layout(service)).root).find((item) => labelOf(item) === "I'm on it: acme/widgets · main");
      return onIt !== undefined;
    }, 5000, () => "Ana's menu has no \"I'm on it\" on the failed build");
    const chosenAt = Date.now();
    await tray.click(service, onIt!.id);

    // Ben hears it within a second, by the name on Ana's token.
    await benWatch.waitForOutput(/Ana is on it: acme\/widgets · main/, 5000);
    expect(Date.now() - chosenAt).toBeLessThan(1000);
    await anaWatch.waitForOutput(/You're on it: acme\/widgets · main/, 5000);

    // Both failure notifications were replaced in place: dunst received the updates, shows two.
    const received = await desktop.received(4, 5000);
    const updates = received.slice(2);
    expect(updates.map((notification) => notification.summary)).toEqual(['✗ acme/widgets · main failed', '✗ acme/widgets · main failed']);
    expect(updates.some((notification) => notification.body.includes('Ana is on it'))).toBe(true);
    expect(updates.some((notification) => notification.body.includes("You're on it"))).toBe(true);
    await desktop.waitForDisplayed(2);
    expect(await desktop.displayedCount()).toBe(2);
    mkdirSync(path.join(projectRoot, 'test-results'), { recursive: true });
    await desktop.screenshot(path.join(projectRoot, 'test-results', 'e2e-acknowledged.png'));

    // Ana's menu now offers the withdrawal; chosen, Ben hears that too.
    let withdraw: { id: number } | undefined;
    await until(async () => {
      withdraw = menuItems((await tray.layout(service)).root).find((item) => labelOf(item) === "I'm not on it any more: acme/widgets · main");
      return withdraw !== undefined;
    }, 5000, () => "Ana's menu offers no withdrawal");
    await tray.click(service, withdraw!.id);
    await benWatch.waitForOutput(/Ana is not on it any more: acme\/widgets · main/, 5000);
  }, 90_000);
});
