/**
 * `watch --tray` (or `"tray": true` in the settings): the engine's tray model as a tray icon on
 * Linux, with the menu the desktop app shows. Its commands act on the engine like the app's tray
 * does (mute and pause reach the settings file through the engine's settings listener, as every
 * engine settings change in watch does); Quit stops watch as Ctrl-C would.
 */
import type { Engine } from '../../client/engine/engine.js';
import { runTrayCommand } from '../../client/tray/trayCommands.js';
import type { Clock, Logger } from '../../core/ports.js';

export interface WatchTrayOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Stops watch (the menu's Quit). */
  readonly quit: () => void;
}

/** Starts the tray icon; where it cannot be shown it has said why, and `stop` does nothing. */
export async function startWatchTray(engine: Engine, options: WatchTrayOptions): Promise<{ stop(): Promise<void> }> {
  // Loaded only when asked for: dbus-next and the tray cost a plain (headless) watch 10 MiB of RSS.
  const { startStatusNotifierTray } = await import('../../client/tray/linux/statusNotifierTray.js');
  const tray = await startStatusNotifierTray({
    busAddress: options.env['DBUS_SESSION_BUS_ADDRESS'],
    platform: process.platform,
    logger: options.logger,
    clock: options.clock,
    model: () => engine.trayModel(),
    onModelChange: (listener) => engine.onTrayModelChange(listener),
    // watch has no settings window: the menu offers no "Settings…".
    run: (command) => runTrayCommand(command, { engine: () => engine, showSettings: () => {}, quit: options.quit }),
  });
  return { stop: async () => tray?.stop() };
}
