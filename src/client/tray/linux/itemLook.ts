/**
 * What the StatusNotifierItem shows for a tray model: the state's icon, a tooltip with the
 * overall state and each source's connection, and whether it asks for attention. The tooltip's text may be
 * read as markup (the StatusNotifierItem spec allows a subset of HTML there, and KDE renders it),
 * so text from the network is escaped as well as cleaned.
 */
import type { OverallState, TrayModel } from '../../../core/engine/trayModel.js';
import { connectionLines } from '../../../core/engine/trayText.js';
import { displayLine } from '../../../core/text/displayText.js';
import type { IconPixmap } from './iconPixmap.js';
import type { ItemLook } from './statusNotifierItem.js';

const ATTENTION: ReadonlySet<OverallState> = new Set(['failing', 'needs_approval']);

export function itemLook(model: TrayModel, now: number, pixmaps: ReadonlyMap<OverallState, readonly IconPixmap[]>): ItemLook {
  return {
    status: ATTENTION.has(model.state) ? 'NeedsAttention' : 'Active',
    pixmaps: pixmaps.get(model.state) ?? [],
    tooltipTitle: 'buildbell',
    tooltipText: escapeMarkup(displayLine([model.headline, ...connectionLines(model.connections, now)].join(' · '), 300)),
  };
}

/** `&`, `<`, `>` and both quotes as entities: shown as themselves by a host that reads markup. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
