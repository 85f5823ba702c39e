/**
 * The tray icon as an `org.kde.StatusNotifierItem` object: what Linux panels show (KDE Plasma,
 * GNOME with the AppIndicator extension, XFCE's sntray, waybar, Electron's own tray on Linux).
 * It holds what the item looks like (icon pixmaps, tooltip, status) and tells hosts when that
 * changes (`NewIcon`, `NewToolTip`, `NewStatus`); what the look is, and what a click does, is
 * decided by the caller.
 */
import dbus from '@particle/dbus-next';
import type { IconPixmap } from './iconPixmap.js';

export const ITEM_INTERFACE = 'org.kde.StatusNotifierItem';
export const ITEM_PATH = '/StatusNotifierItem';
export const MENU_PATH = '/MenuBar';

/** What the item shows. */
export interface ItemLook {
  /** `Active`, or `NeedsAttention` when a build failed or waits for approval (hosts may make it stand out). */
  readonly status: 'Active' | 'NeedsAttention';
  /** The icon in every size drawn, smallest first. */
  readonly pixmaps: readonly IconPixmap[];
  /** The tooltip's title, plain text. */
  readonly tooltipTitle: string;
  /** The tooltip's text, already escaped: hosts may read it as markup. */
  readonly tooltipText: string;
}

export interface ItemHandlers {
  /** A left click (or the host's "activate") at screen coordinates x, y. */
  readonly activate: () => void;
}

type ToolTip = [iconName: string, pixmaps: IconPixmap[], title: string, text: string];

export class StatusNotifierItem extends dbus.interface.Interface {
  #look: ItemLook;
  readonly #handlers: ItemHandlers;

  constructor(look: ItemLook, handlers: ItemHandlers) {
    super(ITEM_INTERFACE);
    this.#look = look;
    this.#handlers = handlers;
  }

  get look(): ItemLook {
    return this.#look;
  }

  /** Shows `look`, signalling only what changed. */
  show(look: ItemLook): void {
    const before = this.#look;
    this.#look = look;
    if (look.pixmaps !== before.pixmaps) {
      this.NewIcon();
      this.NewAttentionIcon();
    }
    if (look.tooltipTitle !== before.tooltipTitle || look.tooltipText !== before.tooltipText) this.NewToolTip();
    if (look.status !== before.status) this.NewStatus(look.status);
  }

  get Category(): string {
    return 'ApplicationStatus';
  }
  get Id(): string {
    return 'buildbell';
  }
  get Title(): string {
    return 'buildbell';
  }
  get Status(): string {
    return this.#look.status;
  }
  get WindowId(): number {
    return 0;
  }
  get IconThemePath(): string {
    return '';
  }
  get IconName(): string {
    return '';
  }
  get IconPixmap(): IconPixmap[] {
    return [...this.#look.pixmaps];
  }
  get OverlayIconName(): string {
    return '';
  }
  get OverlayIconPixmap(): IconPixmap[] {
    return [];
  }
  // The same picture: a host that swaps to the attention icon while NeedsAttention shows the right state.
  get AttentionIconName(): string {
    return '';
  }
  get AttentionIconPixmap(): IconPixmap[] {
    return [...this.#look.pixmaps];
  }
  get AttentionMovieName(): string {
    return '';
  }
  get ToolTip(): ToolTip {
    return ['', [], this.#look.tooltipTitle, this.#look.tooltipText];
  }
  /** False: a left click is `Activate` (open the build); the menu is on the right button. */
  get ItemIsMenu(): boolean {
    return false;
  }
  get Menu(): string {
    return MENU_PATH;
  }

  Activate(): void {
    this.#handlers.activate();
  }
  // The host draws the menu from `Menu`; a middle click and the wheel do nothing.
  ContextMenu(): void {}
  SecondaryActivate(): void {}
  Scroll(): void {}

  NewTitle(): void {}
  NewIcon(): void {}
  NewAttentionIcon(): void {}
  NewOverlayIcon(): void {}
  NewToolTip(): void {}
  NewStatus(status: string): string {
    return status;
  }
}

StatusNotifierItem.configureMembers({
  properties: {
    Category: { signature: 's', access: 'read' },
    Id: { signature: 's', access: 'read' },
    Title: { signature: 's', access: 'read' },
    Status: { signature: 's', access: 'read' },
    WindowId: { signature: 'i', access: 'read' },
    IconThemePath: { signature: 's', access: 'read' },
    IconName: { signature: 's', access: 'read' },
    IconPixmap: { signature: 'a(iiay)', access: 'read' },
    OverlayIconName: { signature: 's', access: 'read' },
    OverlayIconPixmap: { signature: 'a(iiay)', access: 'read' },
    AttentionIconName: { signature: 's', access: 'read' },
    AttentionIconPixmap: { signature: 'a(iiay)', access: 'read' },
    AttentionMovieName: { signature: 's', access: 'read' },
    ToolTip: { signature: '(sa(iiay)ss)', access: 'read' },
    ItemIsMenu: { signature: 'b', access: 'read' },
    Menu: { signature: 'o', access: 'read' },
  },
  methods: {
    ContextMenu: { inSignature: 'ii' },
    Activate: { inSignature: 'ii' },
    SecondaryActivate: { inSignature: 'ii' },
    Scroll: { inSignature: 'is' },
  },
  signals: {
    NewTitle: { signature: '' },
    NewIcon: { signature: '' },
    NewAttentionIcon: { signature: '' },
    NewOverlayIcon: { signature: '' },
    NewToolTip: { signature: '' },
    NewStatus: { signature: 's' },
  },
});
