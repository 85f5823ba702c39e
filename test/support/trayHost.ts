/**
 * A real tray host on a test desktop (test/support/desktop.ts): `status-notifier-watcher` (the
 * registry StatusNotifierItems register with) and `gtk-sni-tray-standalone` (a GTK panel at the
 * bottom of the screen that draws the items and their dbusmenu menus), and a D-Bus client to look
 * at an item the way a host does. Every process started here is stopped by `stop()`, or killed
 * when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dbus from '@particle/dbus-next';
import type { MessageBus } from '@particle/dbus-next';
import { decodePng, type RgbaImage } from '../../src/client/tray/linux/png.js';
import { DESKTOP_TOOLS, type Desktop } from './desktop.js';

/** The desktop's programs and the tray host's, with the Debian package of each. */
export const TRAY_TOOLS: Readonly<Record<string, string>> = {
  ...DESKTOP_TOOLS,
  'status-notifier-watcher': 'haskell-status-notifier-item-utils',
  'gtk-sni-tray-standalone': 'haskell-gtk-sni-tray-utils',
  xwininfo: 'x11-utils',
};

export const WATCHER = 'org.kde.StatusNotifierWatcher';

const living = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of living) child.kill('SIGKILL');
});

export interface HostProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function start(desktop: Desktop, file: string, args: string[]): HostProcess {
  const child = spawn(file, args, { env: desktop.env, stdio: ['ignore', 'pipe', 'pipe'] });
  living.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => living.delete(child));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts `status-notifier-watcher` and resolves once it owns its name on the desktop's bus. */
export async function startWatcher(desktop: Desktop, client: TrayClient): Promise<HostProcess> {
  const watcher = start(desktop, 'status-notifier-watcher', []);
  await until(() => client.hasOwner(WATCHER), 10_000, () => `${WATCHER} did not appear:\n${watcher.output()}`);
  return watcher;
}

/** Starts the GTK tray bar at the bottom of the screen and resolves once it has registered as a host. */
export async function startTrayBar(desktop: Desktop, client: TrayClient): Promise<HostProcess> {
  const bar = start(desktop, 'gtk-sni-tray-standalone', ['--bottom']);
  await until(async () => (await client.watcherProperty('IsStatusNotifierHostRegistered').catch(() => false)) === true, 10_000, () => `the tray bar did not register as a host:\n${bar.output()}`);
  return bar;
}

/** What a host reads of an item and its menu, over the desktop's bus. */
export interface TrayClient {
  hasOwner(name: string): Promise<boolean>;
  watcherProperty(name: string): Promise<unknown>;
  itemProperty(service: string, name: string): Promise<unknown>;
  /** The menu's layout from the root, every level, as `{ id, properties, children }`. */
  layout(service: string): Promise<{ revision: number; root: LayoutItem }>;
  /** Sends the dbusmenu `Event` a host sends when an item is chosen. */
  click(service: string, id: number): Promise<void>;
  close(): void;
}

export interface LayoutItem {
  readonly id: number;
  readonly properties: Record<string, unknown>;
  readonly children: LayoutItem[];
}

type Variant = InstanceType<typeof dbus.Variant>;
type LayoutStruct = [number, Record<string, Variant>, Variant[]];

export async function connectTrayClient(busAddress: string): Promise<TrayClient> {
  const bus: MessageBus = dbus.sessionBus({ busAddress });
  bus.on('error', () => {
    // Reported by the call that fails.
  });
  const daemon = (await bus.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus')).getInterface('org.freedesktop.DBus');
  const properties = async (service: string, objectPath: string) =>
    (await bus.getProxyObject(service, objectPath)).getInterface('org.freedesktop.DBus.Properties');
  const toItem = ([id, props, children]: LayoutStruct): LayoutItem => ({
    id,
    properties: Object.fromEntries(Object.entries(props).map(([name, variant]) => [name, variant.value as unknown])),
    children: children.map((child) => toItem(child.value as LayoutStruct)),
  });
  const menu = async (service: string) => (await bus.getProxyObject(service, '/MenuBar')).getInterface('com.canonical.dbusmenu');
  return {
    hasOwner: (name) => daemon['NameHasOwner']!(name),
    async watcherProperty(name) {
      return ((await (await properties(WATCHER, '/StatusNotifierWatcher'))['Get']!(WATCHER, name)) as Variant).value;
    },
    async itemProperty(service, name) {
      return ((await (await properties(service, '/StatusNotifierItem'))['Get']!('org.kde.StatusNotifierItem', name)) as Variant).value;
    },
    async layout(service) {
      const [revision, root] = (await (await menu(service))['GetLayout']!(0, -1, [])) as [number, LayoutStruct];
      return { revision, root: toItem(root) };
    },
    async click(service, id) {
      await (await menu(service))['Event']!(id, 'clicked', new dbus.Variant('s', ''), 0);
    },
    close: () => bus.disconnect(),
  };
}

/** Every item below `item`, depth first. */
export function menuItems(item: LayoutItem): LayoutItem[] {
  return item.children.flatMap((child) => [child, ...menuItems(child)]);
}

/** The labels as a person reads them: dbusmenu's doubled underscores as one. */
export function menuLabels(item: LayoutItem): string[] {
  return menuItems(item).flatMap((child) => (typeof child.properties['label'] === 'string' ? [child.properties['label'].replaceAll('__', '_')] : []));
}

export interface Geometry {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The visible windows of the tray bar's process: the bar itself (full width) and any open menu. */
export async function trayWindows(desktop: Desktop): Promise<Geometry[]> {
  const tree = await desktop.run('xwininfo', ['-root', '-tree']);
  const windows: Geometry[] = [];
  // Lines such as: 0x200003 "gtk-sni-tray-standalone": ("gtk-sni-tray-standalone" "Gtk-sni-tray-standalone")  1280x30+0+770  +0+770
  for (const match of tree.matchAll(/"gtk-sni-tray-standalone": \([^)]*\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)/g)) {
    const [width, height, x, y] = match.slice(1).map(Number) as [number, number, number, number];
    if (width > 10 && height > 10 && x >= 0 && y >= 0) windows.push({ x, y, width, height });
  }
  return windows;
}

/** A part of the screen, decoded (ImageMagick's `import` writes the PNG). */
export async function screenRegion(desktop: Desktop, region: Geometry, saveAs?: string): Promise<RgbaImage> {
  const file = saveAs ?? path.join(tmpdir(), `buildbell-tray-${process.pid}-${Date.now()}.png`);
  await desktop.run('import', ['-window', 'root', '-crop', `${region.width}x${region.height}+${region.x}+${region.y}`, '+repage', `PNG32:${file}`]);
  try {
    return decodePng(await readFile(file), file);
  } finally {
    if (!saveAs) await rm(file, { force: true });
  }
}

/** How many pixels of `image` are within `tolerance` of `rgb` on every channel. */
export function countColour(image: RgbaImage, rgb: readonly [number, number, number], tolerance = 6): number {
  let count = 0;
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (Math.abs(image.rgba[i]! - rgb[0]) <= tolerance && Math.abs(image.rgba[i + 1]! - rgb[1]) <= tolerance && Math.abs(image.rgba[i + 2]! - rgb[2]) <= tolerance) count++;
  }
  return count;
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, failure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
