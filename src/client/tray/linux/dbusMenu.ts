/**
 * The tray's menu served over D-Bus as `com.canonical.dbusmenu` (the protocol StatusNotifierItem
 * hosts read menus with: KDE Plasma, GNOME's AppIndicator extension, waybar, XFCE's sntray). The
 * items come from `MenuLayout`; this file only speaks the protocol: the layout and properties on
 * request, clicks (`Event` "clicked") to the item's command, and signals when the menu changed.
 */
import dbus from '@particle/dbus-next';
import type { Logger } from '../../../core/ports.js';
import type { MenuEntry, TrayCommand } from '../trayMenu.js';
import { MenuLayout, PROPERTY_TYPES, type LayoutChange, type MenuItem, type MenuProperties } from './menuLayout.js';

export const DBUSMENU_INTERFACE = 'com.canonical.dbusmenu';

type Variant = InstanceType<typeof dbus.Variant>;
/** `(ia{sv}av)`: an item, its properties, and its children as variants of the same. */
type LayoutStruct = [number, Record<string, Variant>, Variant[]];

export interface DbusMenuOptions {
  /** The menu as it should be now (called on every update and before the host shows it). */
  readonly entries: () => readonly MenuEntry[];
  /** Carries out a clicked item's command. */
  readonly run: (command: TrayCommand) => void;
  readonly logger: Logger;
}

/**
 * The exported object. Member names are the protocol's; dbus-next calls them with the message's
 * arguments (see `configureMembers` below).
 */
export class DbusMenu extends dbus.interface.Interface {
  readonly #layout = new MenuLayout();
  readonly #options: DbusMenuOptions;

  constructor(options: DbusMenuOptions) {
    super(DBUSMENU_INTERFACE);
    this.#options = options;
    this.#layout.update(options.entries());
  }

  /** The revision and items, for tests and for the tray to log. */
  get layout(): MenuLayout {
    return this.#layout;
  }

  /** Lays the menu out again and tells hosts what changed; returns whether anything did. */
  update(): boolean {
    const change = this.#layout.update(this.#options.entries());
    this.#announce(change);
    return change.layout || change.properties.length > 0;
  }

  #announce(change: LayoutChange): void {
    if (change.layout) {
      this.LayoutUpdated(this.#layout.revision, 0);
    } else if (change.properties.length > 0) {
      this.ItemsPropertiesUpdated(
        change.properties.map(({ id, properties }) => [id, variants(properties)]),
        change.properties.filter(({ removed }) => removed.length > 0).map(({ id, removed }) => [id, [...removed]]),
      );
    }
  }

  // Properties of the interface.
  get Version(): number {
    return 3;
  }
  get TextDirection(): string {
    return 'ltr';
  }
  get Status(): string {
    return 'normal';
  }
  get IconThemePath(): string[] {
    return [];
  }

  GetLayout(parentId: number, recursionDepth: number, propertyNames: string[]): [number, LayoutStruct] {
    const parent = this.#layout.item(parentId);
    if (!parent) throw unknownId(parentId);
    return [this.#layout.revision, layoutStruct(parent, recursionDepth, propertyNames)];
  }

  GetGroupProperties(ids: number[], propertyNames: string[]): [number, Record<string, Variant>][] {
    const items = ids.length === 0 ? allItems(this.#layout.root) : ids.flatMap((id) => this.#layout.item(id) ?? []);
    return items.map((item) => [item.id, variants(item.properties, propertyNames)]);
  }

  GetProperty(id: number, name: string): Variant {
    const value = this.#layout.item(id)?.properties[name];
    if (value === undefined) throw new dbus.DBusError('org.freedesktop.DBus.Error.InvalidArgs', `item ${id} has no property ${name}`);
    return new dbus.Variant(PROPERTY_TYPES[name] ?? 's', value);
  }

  Event(id: number, eventId: string): void {
    // "opened" and "closed" of submenus, "hovered": nothing to do. Only a click runs a command.
    if (eventId !== 'clicked') return;
    const command = this.#layout.item(id)?.command;
    // An item of an older layout that is gone now: nothing to run (its id is never reused).
    if (!command) return;
    try {
      this.#options.run(command);
    } catch (error) {
      this.#options.logger.error('a tray menu item failed', { command: command.kind, error: error instanceof Error ? error.message : String(error) });
    }
  }

  EventGroup(events: [number, string, Variant, number][]): number[] {
    const missing = events.filter(([id]) => this.#layout.item(id) === undefined).map(([id]) => id);
    for (const [id, eventId] of events) this.Event(id, eventId);
    return missing;
  }

  /** The host is about to show a menu: lay it out with the time now ("last event 3 min ago", a pause's hour). */
  AboutToShow(id: number): boolean {
    if (this.#layout.item(id) === undefined) throw unknownId(id);
    return this.update();
  }

  AboutToShowGroup(ids: number[]): [number[], number[]] {
    const missing = ids.filter((id) => this.#layout.item(id) === undefined);
    const changed = this.update();
    return [changed ? ids.filter((id) => !missing.includes(id)) : [], missing];
  }

  // Signals: dbus-next sends what each returns.
  LayoutUpdated(revision: number, parent: number): [number, number] {
    return [revision, parent];
  }
  ItemsPropertiesUpdated(updated: [number, Record<string, Variant>][], removed: [number, string[]][]): [typeof updated, typeof removed] {
    return [updated, removed];
  }
}

DbusMenu.configureMembers({
  properties: {
    Version: { signature: 'u', access: 'read' },
    TextDirection: { signature: 's', access: 'read' },
    Status: { signature: 's', access: 'read' },
    IconThemePath: { signature: 'as', access: 'read' },
  },
  methods: {
    GetLayout: { inSignature: 'iias', outSignature: 'u(ia{sv}av)' },
    GetGroupProperties: { inSignature: 'aias', outSignature: 'a(ia{sv})' },
    GetProperty: { inSignature: 'is', outSignature: 'v' },
    Event: { inSignature: 'isvu', outSignature: '' },
    EventGroup: { inSignature: 'a(isvu)', outSignature: 'ai' },
    AboutToShow: { inSignature: 'i', outSignature: 'b' },
    AboutToShowGroup: { inSignature: 'ai', outSignature: 'aiai' },
  },
  signals: {
    LayoutUpdated: { signature: 'ui' },
    ItemsPropertiesUpdated: { signature: 'a(ia{sv})a(ias)' },
  },
});

/** `recursionDepth` -1 means every level; 0 the item alone. `propertyNames` empty means all. */
function layoutStruct(item: MenuItem, recursionDepth: number, propertyNames: readonly string[]): LayoutStruct {
  const children = recursionDepth === 0 ? [] : item.children.map((child) => new dbus.Variant('(ia{sv}av)', layoutStruct(child, recursionDepth - 1, propertyNames)));
  return [item.id, variants(item.properties, propertyNames), children];
}

function variants(properties: MenuProperties, names: readonly string[] = []): Record<string, Variant> {
  const wanted = Object.entries(properties).filter(([name]) => names.length === 0 || names.includes(name));
  return Object.fromEntries(wanted.map(([name, value]) => [name, new dbus.Variant(PROPERTY_TYPES[name] ?? 's', value)]));
}

function allItems(item: MenuItem): MenuItem[] {
  return [item, ...item.children.flatMap(allItems)];
}

function unknownId(id: number): Error {
  return new dbus.DBusError('org.freedesktop.DBus.Error.InvalidArgs', `no menu item ${id}`);
}
