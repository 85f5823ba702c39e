/**
 * `buildbell watch --demo --tray` against a real tray host: Xvfb, a private D-Bus session,
 * `status-notifier-watcher` and `gtk-sni-tray-standalone` (a GTK panel drawing
 * StatusNotifierItems and their dbusmenu menus with libdbusmenu). The host draws the icon and it
 * changes when a build fails (screenshots, read back as pixels); a real left click (xdotool) opens
 * the build's page (a recording opener stands in for the browser); a real right click opens the
 * host's menu, and choosing a repository's mute entry in it with the keyboard writes the mute to
 * the settings file and takes that repository's builds out of the menu. The same over D-Bus as a
 * host speaks it: registration, properties, the layout, an `Event` "clicked".
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OverallState } from '../../src/core/engine/trayModel.js';
import { loadIconPixmaps, type IconPixmap } from '../../src/client/tray/linux/iconPixmap.js';
import { PACKAGE_ICONS_FOLDER } from '../../src/client/tray/trayIcons.js';
import { SCREEN } from '../support/dunst.js';
import { useEndToEndDesktop } from '../support/e2e.js';
import { projectRoot } from '../support/paths.js';
import { runBuildbell, type RunningCommand } from '../support/processes.js';
import type { RecordingOpener } from '../support/recordingOpener.js';
import {
  TRAY_TOOLS,
  connectTrayClient,
  countColour,
  menuItems,
  menuLabels,
  screenRegion,
  startTrayBar,
  startWatcher,
  trayWindows,
  until,
  type Geometry,
  type HostProcess,
  type LayoutItem,
  type TrayClient,
} from '../support/trayHost.js';

const e2e = await useEndToEndDesktop(TRAY_TOOLS);
const RESULTS = path.join(projectRoot, 'test-results');
/** The bell's colour when failing and when idle, as build/icons/draw-icons.mjs paints them. */
const FAILING_RED = [0xcf, 0x22, 0x2e] as const;

let client: TrayClient | undefined;
const hosts: HostProcess[] = [];

afterEach(async () => {
  for (const host of hosts.splice(0).reverse()) await host.stop();
  client?.close();
  client = undefined;
});

function runWatchTray(name: string, opener: RecordingOpener): { watch: RunningCommand; service: string; settingsFile: string } {
  const configDir = path.join(e2e.temp.dir, name);
  const watch = runBuildbell(['watch', '--demo', '--tray', '--speed', '3'], e2e.watchEnv(configDir, opener));
  return { watch, service: `org.kde.StatusNotifierItem-${watch.child.pid}-1`, settingsFile: path.join(configDir, 'buildbell', 'settings.json') };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;
const samePixmaps = (value: unknown, expected: readonly IconPixmap[]) =>
  Array.isArray(value) &&
  value.length === expected.length &&
  value.every(([width, height, argb]: IconPixmap, i) => width === expected[i]![0] && height === expected[i]![1] && Buffer.from(argb).equals(expected[i]![2]));
const mutedRepositories = (file: string): string[] => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { mutedRepositories: string[] }).mutedRepositories;
  } catch {
    return [];
  }
};
const pausedUntil = (file: string): string | null => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { pausedUntil: string | null }).pausedUntil;
  } catch {
    return null;
  }
};
const muteItem = (root: LayoutItem, slug: string) => {
  const submenu = root.children.find((item) => item.properties['label'] === 'Mute repositories');
  const index = submenu?.children.findIndex((item) => item.properties['label'] === slug.replaceAll('_', '__')) ?? -1;
  return { index, item: submenu?.children[index] };
};

describe.skipIf(e2e.gate.skip)(`buildbell watch --tray on a real tray host${e2e.gate.skipNote}`, () => {
  it('registers, draws the icon per state, opens a build on a left click, and mutes from the host\'s menu', async () => {
    const desktop = e2e.desktop();
    mkdirSync(RESULTS, { recursive: true });
    client = await connectTrayClient(desktop.busAddress);
    hosts.push(await startWatcher(desktop, client));
    hosts.push(await startTrayBar(desktop, client));
    const opener = await e2e.opener();
    const { watch, service, settingsFile } = runWatchTray('config-tray', opener);
    const tray = client;
    await until(() => watch.stderr().includes('tray icon registered with the panel'), 15_000, () => `watch did not register its tray icon:\n${watch.stderr()}`);

    // Registered with the watcher, and what a host reads of it.
    expect(await tray.watcherProperty('RegisteredStatusNotifierItems')).toContain(service);
    expect(await tray.itemProperty(service, 'Id')).toBe('buildbell');
    expect(await tray.itemProperty(service, 'Menu')).toBe('/MenuBar');
    expect(await tray.itemProperty(service, 'ItemIsMenu')).toBe(false);

    // The bar draws the icon, not failing yet.
    const bar = (await trayWindows(desktop)).find((window) => window.width === SCREEN.width);
    expect(bar, 'the tray bar\'s window').toBeDefined();
    const iconArea: Geometry = { x: bar!.x, y: bar!.y, width: 64, height: bar!.height };
    const pixmaps: ReadonlyMap<OverallState, readonly IconPixmap[]> = loadIconPixmaps(PACKAGE_ICONS_FOLDER);
    await until(async () => countColour(await screenRegion(desktop, iconArea), [0, 0, 0], 8) < iconArea.width * iconArea.height - 100, 5000, () => 'the bar drew no icon');
    // The demo's first failure comes seconds after it starts; until then the bell is not red.
    expect(samePixmaps(await tray.itemProperty(service, 'IconPixmap'), pixmaps.get('failing')!), 'failing before the screenshot').toBe(false);
    const before = await screenRegion(desktop, iconArea, path.join(RESULTS, 'e2e-tray-before.png'));
    expect(countColour(before, FAILING_RED)).toBe(0);

    // A build fails: the item's pixmap is the failing bell, and the bar draws it red.
    await watch.waitForOutput(/acme\/web · main failed/, 30_000);
    await until(async () => samePixmaps(await tray.itemProperty(service, 'IconPixmap'), pixmaps.get('failing')!), 5000, () => 'the item never showed the failing icon');
    expect(await tray.itemProperty(service, 'Status')).toBe('NeedsAttention');
    expect((await tray.itemProperty(service, 'ToolTip')) as unknown[]).toEqual(['', [], 'buildbell', expect.stringMatching(/failing · demo[^:]*: connected/)]);
    await until(async () => countColour(await screenRegion(desktop, iconArea), FAILING_RED) > 50, 5000, () => 'the bar never drew the red bell');
    await screenRegion(desktop, iconArea, path.join(RESULTS, 'e2e-tray-failing.png'));

    // The menu's layout over D-Bus holds the demo's builds.
    const { root } = await tray.layout(service);
    expect(menuLabels(root)).toEqual(expect.arrayContaining(['Recent builds', 'Mute repositories', 'Quit buildbell', expect.stringMatching(/^✗ acme\/web · main failed/)]));
    expect(menuLabels(root)).not.toContain('Settings…');

    // A real left click on the icon opens the most urgent build's page: a failure watch printed.
    const iconCentre = [String(bar!.x + 17), String(bar!.y + Math.floor(bar!.height / 2))];
    await desktop.run('xdotool', ['mousemove', ...iconCentre, 'click', '1']);
    const opened = await opener.waitForUrl(5000);
    expect(opened).toMatch(/^https:\/\/cirrus-ci\.com\/(build|task)\/\d+$/);
    expect(watch.stdout()).toMatch(new RegExp(`fail.* ${opened.replaceAll('/', '\\/').replaceAll('.', '\\.')}`));

    // A real right click opens the host's menu.
    await desktop.run('xdotool', ['mousemove', ...iconCentre, 'click', '3']);
    await until(async () => (await trayWindows(desktop)).some((window) => window.height > 100), 5000, () => 'the host opened no menu');
    const menuWindow = (await trayWindows(desktop)).find((window) => window.height > 100)!;
    await screenRegion(desktop, { ...menuWindow, width: Math.min(SCREEN.width - menuWindow.x, menuWindow.width + 200) }, path.join(RESULTS, 'e2e-tray-menu.png'));

    // Choose acme/web's mute entry with the keyboard, as a person can: from the bottom, the last
    // four entries are Mute repositories, the two pauses and Quit; then into the submenu once it
    // is open. A repository the demo shows for the first time meanwhile can move acme/web down a
    // line, so what counts is that the repository chosen is the one muted, and its builds go.
    const slugs = (root: LayoutItem) =>
      root.children.find((item) => item.properties['label'] === 'Mute repositories')?.children.map((item) => String(item.properties['label']).replaceAll('__', '_')) ?? [];
    const { index } = muteItem((await tray.layout(service)).root, 'acme/web');
    expect(index).toBeGreaterThanOrEqual(0);
    await desktop.run('xdotool', ['key', '--delay', '150', 'Up', 'Up', 'Up', 'Up', 'Right']);
    await until(async () => (await trayWindows(desktop)).filter((window) => window.height > 40).length >= 2, 5000, () => 'the host did not open the submenu');
    await desktop.run('xdotool', ['key', '--delay', '150', ...Array<string>(index).fill('Down'), 'Return']);
    await until(() => mutedRepositories(settingsFile).length > 0, 5000, () => `the mute was not saved: ${readFileSync(settingsFile, 'utf8')}`);
    const [chosen] = mutedRepositories(settingsFile);
    expect(mutedRepositories(settingsFile)).toHaveLength(1);
    expect(slugs((await tray.layout(service)).root)).toContain(chosen);
    await until(async () => muteItem((await tray.layout(service)).root, chosen!).item?.properties['toggle-state'] === 1, 3000, () => `the menu does not show ${chosen} ticked`);
    const afterMute = (await tray.layout(service)).root;
    expect(menuLabels(afterMute).filter((label) => label.includes(`${chosen} ·`))).toEqual([]);

    // The same as a host's click over D-Bus: Event "clicked" on another repository's checkbox.
    const other = slugs(afterMute).find((slug) => slug !== chosen)!;
    const otherItem = muteItem(afterMute, other).item!;
    expect(otherItem.properties).toMatchObject({ 'toggle-type': 'checkmark', 'toggle-state': 0 });
    await tray.click(service, otherItem.id);
    await until(() => mutedRepositories(settingsFile).includes(other), 5000, () => 'the D-Bus click did not save the mute');
    const afterOther = (await tray.layout(service)).root;
    expect(muteItem(afterOther, other).item).toMatchObject({ id: otherItem.id, properties: { 'toggle-state': 1 } });
    expect(menuItems(afterOther).filter((item) => String(item.properties['label'] ?? '').includes(`${other} ·`))).toEqual([]);

    // SIGTERM: watch stops cleanly, and the item leaves the watcher.
    watch.child.kill('SIGTERM');
    expect(await watch.exited()).toEqual({ code: 0, signal: null });
    await until(async () => !((await tray.watcherProperty('RegisteredStatusNotifierItems')) as string[]).includes(service), 5000, () => 'the item stayed registered');
  }, 120_000);

  it('says once that nothing shows tray icons, goes on, registers when a watcher appears and again when it restarts, and pauses and quits from the menu', async () => {
    const desktop = e2e.desktop();
    client = await connectTrayClient(desktop.busAddress);
    const tray = client;
    const opener = await e2e.opener();
    const { watch, service, settingsFile } = runWatchTray('config-no-watcher', opener);
    await watch.waitForOutput(/demo[^:\n]*: connected/);
    await until(() => watch.stderr().includes('no tray on this desktop'), 10_000, () => `watch said nothing of the missing tray:\n${watch.stderr()}`);
    // Events still flow, and nothing more is said about the tray.
    await watch.waitForOutput(/acme\/\w+ · \S+ (started|needs approval|failed)/, 20_000);
    expect(watch.child.exitCode).toBeNull();
    expect(occurrences(watch.stderr(), 'no tray on this desktop')).toBe(1);

    const watcher = await startWatcher(desktop, tray);
    await until(() => occurrences(watch.stderr(), 'tray icon registered with the panel') === 1, 5000, () => `watch did not register when the watcher appeared:\n${watch.stderr()}`);
    expect(await tray.watcherProperty('RegisteredStatusNotifierItems')).toContain(service);

    // The panel restarts: a new watcher knows nothing of the item until it registers again.
    await watcher.stop();
    hosts.push(await startWatcher(desktop, tray));
    await until(() => occurrences(watch.stderr(), 'tray icon registered with the panel') === 2, 5000, () => `watch did not register again:\n${watch.stderr()}`);
    expect(await tray.watcherProperty('RegisteredStatusNotifierItems')).toContain(service);
    expect(occurrences(watch.stderr(), 'no tray on this desktop')).toBe(1);
    expect(watch.child.exitCode).toBeNull();

    // Pause for an hour from the menu: written to the settings file, shown in the menu and the icon.
    const pause = menuItems((await tray.layout(service)).root).find((item) => item.properties['label'] === 'Pause notifications for 1 hour')!;
    await tray.click(service, pause.id);
    await until(() => pausedUntil(settingsFile) !== null, 5000, () => 'the pause was not saved');
    expect(Date.parse(pausedUntil(settingsFile)!) - Date.now()).toBeGreaterThan(50 * 60_000);
    await until(async () => menuLabels((await tray.layout(service)).root).includes('Resume notifications'), 3000, () => 'the menu offers no Resume');
    expect(samePixmaps(await tray.itemProperty(service, 'IconPixmap'), loadIconPixmaps(PACKAGE_ICONS_FOLDER).get('paused')!)).toBe(true);

    // The menu's Quit stops watch as Ctrl-C does.
    const quit = menuItems((await tray.layout(service)).root).find((item) => item.properties['label'] === 'Quit buildbell')!;
    await tray.click(service, quit.id);
    expect(await watch.exited()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
