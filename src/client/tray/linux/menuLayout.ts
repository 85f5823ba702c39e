/**
 * The tray menu (`trayMenu`'s entries, the same the Electron shell renders) as a dbusmenu layout:
 * numbered items with dbusmenu properties, and a revision. Pure data; `dbusMenu.ts` serves it.
 *
 * Ids are stable: an item keeps its id for as long as it stays in the menu (a build's line is
 * named by its build key, a mute checkbox by its repository pattern, a section title by its
 * place), and an id is never given to another item, so a click the host sends for a menu it
 * drew a moment ago reaches that item or nothing. The revision grows with every change a host
 * must learn of.
 */
import { displayLine } from '../../../core/text/displayText.js';
import type { MenuEntry, TrayCommand } from '../trayMenu.js';

/** Property values of a dbusmenu item; each name's D-Bus type is in `PROPERTY_TYPES`. */
export type MenuProperties = Readonly<Record<string, string | number | boolean>>;

/** The D-Bus type of each property this layout sets (the dbusmenu spec's names). */
export const PROPERTY_TYPES: Readonly<Record<string, string>> = {
  type: 's',
  label: 's',
  enabled: 'b',
  'toggle-type': 's',
  'toggle-state': 'i',
  'children-display': 's',
};

export interface MenuItem {
  readonly id: number;
  /** Only the properties that differ from the spec's defaults (a standard, enabled, visible item). */
  readonly properties: MenuProperties;
  readonly children: readonly MenuItem[];
  /** What a click on it does; null for labels, separators and submenus. */
  readonly command: TrayCommand | null;
}

/** What changed with an update, for the signals that tell hosts. */
export interface LayoutChange {
  /** Items came, went or moved: `LayoutUpdated`. */
  readonly layout: boolean;
  /** With the same items, these ones' properties changed: `ItemsPropertiesUpdated`. */
  readonly properties: readonly { readonly id: number; readonly properties: MenuProperties; readonly removed: readonly string[] }[];
}

/** Longer than any label trayMenu makes; only a label built elsewhere is cut. */
const MAX_LABEL = 200;
export const ROOT_ID = 0;

/**
 * A label as dbusmenu shows it: one clean line (no control, escape or bidi character from a
 * payload) with each underscore doubled, because dbusmenu reads a single `_` as the mnemonic
 * marker and drops it. Labels are plain text in dbusmenu (no markup).
 */
export function dbusMenuLabel(label: string): string {
  return displayLine(label, MAX_LABEL).replaceAll('_', '__');
}

export class MenuLayout {
  #revision = 0;
  #nextId = ROOT_ID + 1;
  /** An item's key (its place in the menu's tree of names) → its id. */
  #ids = new Map<string, number>();
  #root: MenuItem = { id: ROOT_ID, properties: { 'children-display': 'submenu' }, children: [], command: null };
  #byId = new Map<number, MenuItem>([[ROOT_ID, this.#root]]);

  get revision(): number {
    return this.#revision;
  }

  get root(): MenuItem {
    return this.#root;
  }

  item(id: number): MenuItem | undefined {
    return this.#byId.get(id);
  }

  /** Lays out `entries` under the root; the revision grows when anything a host shows changed. */
  update(entries: readonly MenuEntry[]): LayoutChange {
    const ids = new Map<string, number>();
    const root: MenuItem = { id: ROOT_ID, properties: this.#root.properties, children: this.#items(entries, '', ids), command: null };
    const byId = new Map<number, MenuItem>();
    const index = (item: MenuItem) => {
      byId.set(item.id, item);
      item.children.forEach(index);
    };
    index(root);

    const layout = shape(root) !== shape(this.#root);
    const properties = layout ? [] : changedProperties(this.#byId, byId);
    // Keys no longer shown are forgotten; their ids are not given out again (#nextId only grows).
    this.#ids = ids;
    this.#root = root;
    this.#byId = byId;
    if (layout || properties.length > 0) this.#revision += 1;
    return { layout, properties };
  }

  #items(entries: readonly MenuEntry[], parentKey: string, ids: Map<string, number>): MenuItem[] {
    const seen = new Map<string, number>();
    return entries.map((entry) => {
      const base = `${parentKey}/${entryKey(entry)}`;
      const occurrence = (seen.get(base) ?? 0) + 1;
      seen.set(base, occurrence);
      const key = `${base}#${occurrence}`;
      const id = this.#ids.get(key) ?? this.#nextId++;
      ids.set(key, id);
      const children = entry.type === 'submenu' ? this.#items(entry.items, key, ids) : [];
      const command = entry.type === 'action' || entry.type === 'checkbox' ? entry.command : null;
      return { id, properties: propertiesOf(entry), children, command };
    });
  }
}

/**
 * What names an entry among its siblings. Commands name builds and repositories; what has no
 * identity of its own (a separator, a label, a pause whose instant moves every minute) is named
 * by its kind, and the occurrence count the caller appends tells the first from the second.
 */
function entryKey(entry: MenuEntry): string {
  switch (entry.type) {
    case 'separator':
    case 'label':
      return entry.type;
    case 'submenu':
      return `submenu:${entry.label}`;
    case 'action':
    case 'checkbox':
      return commandKey(entry.command);
  }
}

function commandKey(command: TrayCommand): string {
  switch (command.kind) {
    case 'open':
    case 'approve':
    case 'rerun':
      return `${command.kind}:${command.buildKey}`;
    case 'acknowledge':
    case 'withdraw':
      // One key for both: the item stays the same one when "I'm on it" becomes "I'm not on it any more".
      return `on-it:${command.buildKey}`;
    case 'mute':
    case 'unmute':
      // One key for both: the checkbox stays the same item when it is ticked.
      return `repository:${command.pattern}`;
    default:
      return command.kind;
  }
}

function propertiesOf(entry: MenuEntry): MenuProperties {
  switch (entry.type) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: dbusMenuLabel(entry.label), enabled: false };
    case 'action':
      return { label: dbusMenuLabel(entry.label) };
    case 'checkbox':
      return { label: dbusMenuLabel(entry.label), 'toggle-type': 'checkmark', 'toggle-state': entry.checked ? 1 : 0 };
    case 'submenu':
      return { label: dbusMenuLabel(entry.label), 'children-display': 'submenu' };
  }
}

/** The tree of ids alone: equal shapes mean no item came, went or moved. */
function shape(item: MenuItem): string {
  return item.children.length === 0 ? String(item.id) : `${item.id}(${item.children.map(shape).join(',')})`;
}

function changedProperties(before: ReadonlyMap<number, MenuItem>, after: ReadonlyMap<number, MenuItem>): LayoutChange['properties'] {
  const changes: { id: number; properties: MenuProperties; removed: string[] }[] = [];
  for (const [id, item] of after) {
    const old = before.get(id)?.properties ?? {};
    const changed = Object.fromEntries(Object.entries(item.properties).filter(([name, value]) => old[name] !== value));
    const removed = Object.keys(old).filter((name) => !(name in item.properties));
    if (Object.keys(changed).length > 0 || removed.length > 0) changes.push({ id, properties: changed, removed });
  }
  return changes;
}
