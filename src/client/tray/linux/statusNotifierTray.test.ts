/**
 * The tray over a real (private) session bus, spoken to as a host speaks to it: the item's
 * properties and signals, the dbusmenu calls and signals, a click, the icon's activation, and
 * where there is no tray to be had. The real tray host is in test/e2e/watchTray.desktop.test.ts.
 */
import dbus from '@particle/dbus-next';
import type { ClientInterface, MessageBus } from '@particle/dbus-next';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { desktopGate } from '../../../../test/support/desktop.js';
import { buildEvent, type EventSpec } from '../../../../test/support/engineEvents.js';
import { startSessionBus, type SessionBus } from '../../../../test/support/sessionBus.js';
import { BuildTracker } from '../../../core/engine/buildTracker.js';
import { buildTrayModel, type TrayModel } from '../../../core/engine/trayModel.js';
import type { Logger } from '../../../core/ports.js';
import { PACKAGE_ICONS_FOLDER } from '../trayIcons.js';
import type { TrayCommand } from '../trayMenu.js';
import { loadIconPixmaps } from './iconPixmap.js';
import { pauseTime, startStatusNotifierTray, type StatusNotifierTray } from './statusNotifierTray.js';
import { NO_WATCHER_MESSAGE } from './watcherRegistration.js';

const gate = await desktopGate(process.env, { 'dbus-daemon': 'dbus-daemon' });
const NOW = 1_700_000_000_000;

function model(events: EventSpec[], muted: string[] = []): TrayModel {
  const tracker = new BuildTracker();
  for (const spec of events) tracker.apply(buildEvent(spec));
  return buildTrayModel({
    builds: tracker.builds(),
    branchOutcomes: tracker.branchOutcomes(),
    events: [],
    repositories: tracker.builds().map((build) => build.slug),
    visibility: { mutedRepositories: muted, branchPatterns: [], onlyMine: { enabled: false, usernames: [] } },
    connections: [{ connected: true, source: 'demo', since: NOW, reason: null, lastEventAt: NOW }],
    pausedUntil: null,
    quietHours: false,
    canAct: () => false,
  });
}

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  return { logger, lines };
}

const running: EventSpec = { buildId: '1', state: 'running', repo: 'web' };
const failed: EventSpec = { buildId: '1', state: 'failed', repo: 'web', at: 2 };

describe.skipIf(gate.skip)(`the tray over a session bus${gate.skipNote}`, () => {
  let bus: SessionBus;
  let client: MessageBus;
  let tray: StatusNotifierTray | null = null;
  let current: TrayModel;
  let now = NOW;
  const listeners = new Set<(model: TrayModel) => void>();
  const commands: TrayCommand[] = [];
  const recorded = recordingLogger();

  beforeAll(async () => {
    bus = await startSessionBus();
    client = dbus.sessionBus({ busAddress: bus.address });
  });
  afterAll(async () => {
    client?.disconnect();
    await bus?.stop();
  });
  afterEach(async () => {
    await tray?.stop();
    tray = null;
  });

  const start = async () => {
    current = model([running]);
    now = NOW;
    commands.length = 0;
    recorded.lines.length = 0;
    tray = await startStatusNotifierTray({
      busAddress: bus.address,
      platform: 'linux',
      logger: recorded.logger,
      clock: () => now,
      model: () => current,
      onModelChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      run: (command) => commands.push(command),
      instance: 'test',
    });
    expect(tray?.serviceName).toBe('org.kde.StatusNotifierItem-test-1');
    const item = await client.getProxyObject(tray!.serviceName, '/StatusNotifierItem');
    const menu = await client.getProxyObject(tray!.serviceName, '/MenuBar');
    return {
      item: item.getInterface('org.kde.StatusNotifierItem'),
      itemProperties: item.getInterface('org.freedesktop.DBus.Properties'),
      menu: menu.getInterface('com.canonical.dbusmenu'),
    };
  };
  const change = (next: TrayModel) => {
    current = next;
    for (const listener of listeners) listener(next);
  };
  const property = async (properties: ClientInterface, name: string) => ((await properties['Get']!('org.kde.StatusNotifierItem', name)) as { value: unknown }).value;
  /**
   * Resolves with the next `name` signal's arguments, once the bus is sure to deliver it: the
   * match rule dbus-next adds for a listener is a message of the client's connection, and the
   * tray's signal comes on another, so a round trip on the client's connection (the daemon
   * handles one connection's messages in order) must follow before the signal is caused.
   */
  const signal = async (iface: ClientInterface, name: string): Promise<{ next: Promise<unknown[]> }> => {
    const next = new Promise<unknown[]>((resolve) => iface.once(name, (...args: unknown[]) => resolve(args)));
    await client.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus').then((proxy) => proxy.getInterface('org.freedesktop.DBus')['GetId']!());
    // Wrapped: an async function returning the promise itself would wait for the signal.
    return { next };
  };

  it('says once that no panel shows tray icons, and still serves the item', async () => {
    const { itemProperties } = await start();
    expect(recorded.lines).toEqual([`warn ${NO_WATCHER_MESSAGE}`]);
    expect(await property(itemProperties, 'Id')).toBe('buildbell');
    expect(await property(itemProperties, 'Category')).toBe('ApplicationStatus');
    expect(await property(itemProperties, 'Status')).toBe('Active');
    expect(await property(itemProperties, 'ToolTip')).toEqual(['', [], 'buildbell', '1 build running · demo: connected · last event just now']);
    const pixmaps = (await property(itemProperties, 'IconPixmap')) as [number, number, Buffer][];
    expect(pixmaps.map(([width, height, argb]) => [width, height, Buffer.compare(argb, loadIconPixmaps(PACKAGE_ICONS_FOLDER).get('running')![width === 16 ? 0 : 1]![2])])).toEqual([
      [16, 16, 0],
      [32, 32, 0],
    ]);
  });

  it('refuses a bus name another process holds, with one message', async () => {
    await start();
    const { logger, lines } = recordingLogger();
    const second = await startStatusNotifierTray({
      busAddress: bus.address,
      platform: 'linux',
      logger,
      clock: () => NOW,
      model: () => current,
      onModelChange: () => () => {},
      run: () => {},
      instance: 'test',
    });
    expect(second).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/no tray: cannot offer the tray icon on the session bus/)]);
  });

  it('signals a new icon and status when the state changes, and opens the most urgent build on Activate', async () => {
    const { item, itemProperties } = await start();
    const { next: newIcon } = await signal(item, 'NewIcon');
    const { next: newStatus } = await signal(item, 'NewStatus');
    change(model([running, failed]));
    await newIcon;
    expect(await newStatus).toEqual(['NeedsAttention']);
    expect(await property(itemProperties, 'Status')).toBe('NeedsAttention');
    await item['Activate']!(10, 10);
    expect(commands).toEqual([{ kind: 'open', buildKey: 'cirrus:1' }]);
  });

  it('serves the layout at every depth, properties by group and one by one, and refuses unknown ids', async () => {
    const { menu } = await start();
    const [revision, [rootId, , children]] = (await menu['GetLayout']!(0, -1, [])) as [number, [number, object, { value: [number, Record<string, { value: unknown }>, unknown[]] }[]]];
    expect(revision).toBeGreaterThan(0);
    expect(rootId).toBe(0);
    const labels = children.map((child) => child.value[1]['label']?.value);
    expect(labels).toContain('Mute repositories');
    expect(labels).not.toContain('Settings…');
    const submenu = children.find((child) => child.value[1]['label']?.value === 'Mute repositories')!.value;
    expect(((await menu['GetLayout']!(submenu[0], 0, ['label'])) as [number, [number, object, unknown[]]])[1][2]).toEqual([]);
    const [, [, , repositories]] = (await menu['GetLayout']!(submenu[0], 1, [])) as [number, [number, object, { value: [number, Record<string, { value: unknown }>] }[]]];
    expect(repositories.map((child) => child.value[1]['label']?.value)).toEqual(['acme/web']);
    const group = (await menu['GetGroupProperties']!([submenu[0]], ['label'])) as [number, Record<string, { value: unknown }>][];
    expect(group.map(([groupId, props]) => [groupId, Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.value]))])).toEqual([[submenu[0], { label: 'Mute repositories' }]]);
    expect(((await menu['GetProperty']!(submenu[0], 'children-display')) as { value: unknown }).value).toBe('submenu');
    await expect(menu['GetLayout']!(99_999, -1, [])).rejects.toThrow(/no menu item 99999/);
    await expect(menu['AboutToShow']!(99_999)).rejects.toThrow(/no menu item 99999/);
  });

  it('runs a clicked item\'s command, ignores other events and gone ids, and signals changes', async () => {
    const { menu } = await start();
    const [, [, , children]] = (await menu['GetLayout']!(0, -1, [])) as [number, [number, object, { value: [number, Record<string, { value: unknown }>, { value: [number, Record<string, { value: unknown }>] }[]] }[]]];
    const submenu = children.find((child) => child.value[1]['label']?.value === 'Mute repositories')!.value;
    const checkbox = submenu[2][0]!.value;
    expect(checkbox[1]['toggle-type']?.value).toBe('checkmark');
    await menu['Event']!(checkbox[0], 'hovered', new dbus.Variant('s', ''), 0);
    await menu['Event']!(checkbox[0], 'clicked', new dbus.Variant('s', ''), 0);
    expect(await menu['EventGroup']!([[checkbox[0], 'clicked', new dbus.Variant('s', ''), 0], [424_242, 'clicked', new dbus.Variant('s', ''), 0]])).toEqual([424_242]);
    expect(commands).toEqual([{ kind: 'mute', pattern: 'acme/web' }, { kind: 'mute', pattern: 'acme/web' }]);

    // The mute takes effect: the checkbox is ticked and the build leaves the menu (a new layout).
    const { next: layoutUpdated } = await signal(menu, 'LayoutUpdated');
    change(model([running], ['acme/web']));
    const [revision, parent] = (await layoutUpdated) as [number, number];
    expect(parent).toBe(0);
    const [sameRevision] = (await menu['GetLayout']!(0, -1, [])) as [number];
    expect(sameRevision).toBe(revision);

    // Only time passes: the connection line's label changes in place, and AboutToShow says so.
    const { next: propertiesUpdated } = await signal(menu, 'ItemsPropertiesUpdated');
    now = NOW + 5 * 60_000;
    expect(await menu['AboutToShow']!(0)).toBe(true);
    const [updated] = (await propertiesUpdated) as [[number, Record<string, { value: unknown }>][]];
    expect(updated.map(([, props]) => props['label']?.value)).toContain('demo: connected · last event 5 min ago');
    expect(await menu['AboutToShow']!(0)).toBe(false);
  });
  it('registers with a watcher that appears later, also one whose object answers a moment after it took its name', async () => {
    await start();
    const registered: string[] = [];
    class LateWatcher extends dbus.interface.Interface {
      RegisterStatusNotifierItem(service: string): void {
        registered.push(service);
      }
    }
    LateWatcher.configureMembers({ methods: { RegisterStatusNotifierItem: { inSignature: 's' } } });
    const watcherBus = dbus.sessionBus({ busAddress: bus.address });
    try {
      await watcherBus.requestName('org.kde.StatusNotifierWatcher', 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      watcherBus.export('/StatusNotifierWatcher', new LateWatcher('org.kde.StatusNotifierWatcher'));
      await expect.poll(() => registered, { timeout: 4000 }).toEqual([tray!.serviceName]);
      await expect.poll(() => recorded.lines).toEqual([`warn ${NO_WATCHER_MESSAGE}`, 'info tray icon registered with the panel']);
    } finally {
      watcherBus.disconnect();
    }
  });
});

describe('where there is no tray to be had', () => {
  const options = (overrides: object) => ({
    busAddress: 'unix:path=/nonexistent/buildbell-test-bus',
    platform: 'linux' as NodeJS.Platform,
    clock: () => NOW,
    model: () => model([]),
    onModelChange: () => () => {},
    run: () => {},
    ...overrides,
  });

  it.each([
    ['no session bus', { busAddress: undefined }, /no D-Bus session bus \(\$DBUS_SESSION_BUS_ADDRESS is not set\)/],
    ['macOS', { platform: 'darwin' }, /--tray shows a StatusNotifierItem, which Linux desktops have/],
    ['a bus that is not there', {}, /no tray: cannot offer the tray icon on the session bus/],
    ['no icons', { iconsFolder: '/nonexistent/icons' }, /no tray: the tray icons cannot be read/],
  ])('%s: says why once and resolves with no tray', async (_name, overrides, message) => {
    const { logger, lines } = recordingLogger();
    expect(await startStatusNotifierTray({ ...options(overrides), logger })).toBeNull();
    expect(lines).toEqual([expect.stringMatching(message)]);
  });
});

describe('pauseTime', () => {
  it('is the weekday and the 24-hour local time', () => {
    expect(pauseTime(new Date(2026, 11, 1, 14, 5).getTime())).toBe('Tue 14:05');
    expect(pauseTime(new Date(2026, 11, 6, 8, 0).getTime())).toBe('Sun 08:00');
  });
});
