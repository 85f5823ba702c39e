/**
 * The tray: icon, tooltip and menu, redrawn from the engine's tray model and nothing else. Also
 * redrawn once a minute, because the menu says "last event 2 min ago".
 */
import type { TrayModel } from '../core/engine/trayModel.js';
import { Menu, nativeImage, Tray } from './electron.js';
import { trayIconFile } from '../client/tray/trayIcons.js';
import { menuTemplate } from './menu.js';
import { nextMorning, trayMenu, trayTooltip, type TrayCommand } from '../client/tray/trayMenu.js';

export interface TrayControllerOptions {
  readonly platform: NodeJS.Platform;
  readonly iconsFolder: string;
  readonly clock: () => number;
  /** The current model, read again on each redraw. */
  readonly model: () => TrayModel;
  /** Carries out a menu item's command. */
  readonly run: (command: TrayCommand) => void;
}

export interface TrayController {
  /** Redraws from the current model. */
  render(): void;
  destroy(): void;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

export function createTrayController(options: TrayControllerOptions): TrayController {
  const image = (model: TrayModel) => nativeImage.createFromPath(trayIconFile(options.iconsFolder, model.state, options.platform));
  const tray = new Tray(image(options.model()));
  let shownState: TrayModel['state'] | null = null;

  const render = () => {
    const model = options.model();
    const now = options.clock();
    if (model.state !== shownState) {
      tray.setImage(image(model));
      shownState = model.state;
    }
    tray.setToolTip(trayTooltip(model));
    const entries = trayMenu(model, { now, formatTime: (at) => timeFormat.format(at), tomorrowMorning: nextMorning(now) });
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(entries, options.run)));
  };

  const tick = setInterval(render, 60_000);
  tick.unref?.();
  render();
  return {
    render,
    destroy() {
      clearInterval(tick);
      tray.destroy();
    },
  };
}
