/**
 * Turns the tray menu's data into Electron's menu template: each command becomes a click that
 * calls `run`. Labels get their `&` doubled because Electron reads a single `&` as a mnemonic
 * marker on Windows and Linux, and a branch or title may contain one. Before that, each label is
 * cleaned once more, the last step before the OS: whatever built the entry, no control, escape or
 * bidi character reaches a menu (GTK's menus go over D-Bus on some desktops, which refuse a NUL).
 */
import { displayLine } from '../core/text/displayText.js';
import type { MenuItemConstructorOptions } from './electron.js';
import type { MenuEntry, TrayCommand } from '../client/tray/trayMenu.js';

export function menuTemplate(entries: readonly MenuEntry[], run: (command: TrayCommand) => void): MenuItemConstructorOptions[] {
  return entries.map((entry): MenuItemConstructorOptions => {
    switch (entry.type) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: escapeLabel(entry.label), enabled: false };
      case 'action':
        return {
          label: escapeLabel(entry.label),
          click: () => run(entry.command),
          ...(entry.accelerator ? { accelerator: entry.accelerator, registerAccelerator: false } : {}),
        };
      case 'checkbox':
        return { label: escapeLabel(entry.label), type: 'checkbox', checked: entry.checked, click: () => run(entry.command) };
      case 'submenu':
        return { label: escapeLabel(entry.label), submenu: menuTemplate(entry.items, run) };
    }
  });
}

/** Longer than any label trayMenu makes; only a label built elsewhere is cut. */
const MAX_LABEL = 200;

function escapeLabel(label: string): string {
  return displayLine(label, MAX_LABEL).replaceAll('&', '&&');
}
