/**
 * A tray icon on Linux without Electron: the engine's tray model shown as a StatusNotifierItem
 * with a dbusmenu menu on the session bus, redrawn when the model changes and once a minute. The
 * menu is `trayMenu`'s, the one the Electron shell renders. Nothing here stops `watch`: where the
 * tray cannot be shown it says why once and the caller goes on without it.
 */
import dbus from '@particle/dbus-next';
import type { MessageBus } from '@particle/dbus-next';
import type { TrayModel } from '../../../core/engine/trayModel.js';
import type { Clock, Logger } from '../../../core/ports.js';
import { mostRelevantBuild } from '../mostRelevantBuild.js';
import { PACKAGE_ICONS_FOLDER } from '../trayIcons.js';
import { nextMorning, trayMenu, type TrayCommand } from '../trayMenu.js';
import { errorText, withTimeout } from './busCalls.js';
import { DbusMenu } from './dbusMenu.js';
import { loadIconPixmaps } from './iconPixmap.js';
import { itemLook } from './itemLook.js';
import { ITEM_PATH, MENU_PATH, StatusNotifierItem } from './statusNotifierItem.js';
import { followWatcher, type WatcherRegistration } from './watcherRegistration.js';

export interface StatusNotifierTrayOptions {
  /** The session bus address (`$DBUS_SESSION_BUS_ADDRESS`); without one there is no tray. */
  readonly busAddress: string | undefined;
  readonly platform: NodeJS.Platform;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The current tray model, read on each redraw. */
  readonly model: () => TrayModel;
  /** Subscribes to model changes; returns an unsubscribe. */
  readonly onModelChange: (listener: (model: TrayModel) => void) => () => void;
  /** Carries out a menu item's command (and the icon's click, as `open`). */
  readonly run: (command: TrayCommand) => void;
  /** Where the state icons are. Default: the package's `build/icons`. */
  readonly iconsFolder?: string;
  /** The bus name's suffix, unique on the bus. Default: the process id. */
  readonly instance?: string;
}

export interface StatusNotifierTray {
  /** The bus name the item is known by, e.g. `org.kde.StatusNotifierItem-4242-1`. */
  readonly serviceName: string;
  /** Redraws from the current model. */
  render(): void;
  /** Removes the item from the bus and closes the connection. */
  stop(): Promise<void>;
}

/** How long a call to the bus may take before the tray gives up on it. */
const CALL_TIMEOUT_MS = 5000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * "Tue 14:30", local time, for "Notifications paused until …". Not Intl.DateTimeFormat, as the
 * Electron shell uses: the first one loads ICU's locale data, 8 MiB of RSS in a process that
 * otherwise never touches it (measured), for an English menu.
 */
export function pauseTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[date.getDay()]} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/**
 * Shows the tray icon, or resolves with null after saying once why it cannot (not Linux, no
 * session bus). With no panel on the bus yet it still resolves with the tray, which registers
 * when a panel appears.
 */
export async function startStatusNotifierTray(options: StatusNotifierTrayOptions): Promise<StatusNotifierTray | null> {
  const { logger, clock } = options;
  if (options.platform === 'darwin' || options.platform === 'win32') {
    logger.warn('--tray shows a StatusNotifierItem, which Linux desktops have; here, use the desktop app (npm start) for a tray');
    return null;
  }
  if (!options.busAddress) {
    logger.warn('no tray: there is no D-Bus session bus ($DBUS_SESSION_BUS_ADDRESS is not set); going on without a tray icon');
    return null;
  }
  let pixmaps: ReturnType<typeof loadIconPixmaps>;
  try {
    pixmaps = loadIconPixmaps(options.iconsFolder ?? PACKAGE_ICONS_FOLDER);
  } catch (error) {
    logger.warn('no tray: the tray icons cannot be read; going on without a tray icon', { error: errorText(error) });
    return null;
  }
  const entries = () => {
    const now = clock();
    return trayMenu(options.model(), { now, formatTime: pauseTime, tomorrowMorning: nextMorning(now), settingsWindow: false });
  };
  const menu = new DbusMenu({ entries, run: options.run, logger });
  const item = new StatusNotifierItem(itemLook(options.model(), clock(), pixmaps), {
    activate: () => {
      const build = mostRelevantBuild(options.model());
      if (build) options.run({ kind: 'open', buildKey: build.key });
    },
  });
  const serviceName = `org.kde.StatusNotifierItem-${options.instance ?? process.pid}-1`;

  let bus: MessageBus;
  try {
    bus = dbus.sessionBus({ busAddress: options.busAddress });
  } catch (error) {
    logger.warn('no tray: cannot use the D-Bus session bus address; going on without a tray icon', { error: errorText(error) });
    return null;
  }
  let started = false;
  let lost = false;
  let failStart: (error: unknown) => void = () => {};
  const failedBeforeStart = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  failedBeforeStart.catch(() => {
    // Observed by the start's race while it runs; nothing to do after it.
  });
  bus.on('error', (error: unknown) => {
    // Before the start is over, the start reports it (one message); after, it is said once here.
    if (!started) return failStart(error);
    if (lost) return;
    lost = true;
    logger.error('the D-Bus connection of the tray icon was lost; going on without it', { error: errorText(error) });
  });
  let registration: WatcherRegistration;
  try {
    const registered = (async () => {
      const reply = await withTimeout(bus.requestName(serviceName, dbus.NameFlag.DO_NOT_QUEUE), CALL_TIMEOUT_MS, `the session bus did not answer within ${CALL_TIMEOUT_MS} ms`);
      if (reply !== dbus.RequestNameReply.PRIMARY_OWNER) throw new Error(`the bus name ${serviceName} belongs to another process`);
      bus.export(ITEM_PATH, item);
      bus.export(MENU_PATH, menu);
      return followWatcher({ bus, serviceName, logger });
    })();
    registration = await Promise.race([registered, failedBeforeStart]);
    started = true;
  } catch (error) {
    lost = true;
    bus.disconnect();
    logger.warn('no tray: cannot offer the tray icon on the session bus; going on without it', { error: errorText(error) });
    return null;
  }

  const render = () => {
    if (lost) return;
    item.show(itemLook(options.model(), clock(), pixmaps));
    menu.update();
  };
  const unsubscribe = options.onModelChange(render);
  // "last event 2 min ago" and the tooltip age with no event to trigger a redraw.
  const tick = setInterval(render, 60_000);
  tick.unref();

  return {
    serviceName,
    render,
    async stop() {
      clearInterval(tick);
      unsubscribe();
      registration.stop();
      if (!lost) {
        bus.unexport(ITEM_PATH, item);
        bus.unexport(MENU_PATH, menu);
        // Releasing the name tells the watcher the item is gone; a closed connection does too.
        await withTimeout(bus.releaseName(serviceName), CALL_TIMEOUT_MS, 'no answer').catch(() => undefined);
      }
      bus.disconnect();
    },
  };
}
