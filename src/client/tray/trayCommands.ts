/** Carries out a tray menu item's command against the engine and the app. */
import type { Engine } from '../engine/engine.js';
import type { TrayCommand } from './trayMenu.js';

export interface TrayCommandContext {
  readonly engine: () => Engine;
  readonly showSettings: () => void;
  readonly quit: () => void;
}

export function runTrayCommand(command: TrayCommand, context: TrayCommandContext): void {
  const engine = context.engine();
  switch (command.kind) {
    case 'open':
    case 'approve':
    case 'rerun':
    case 'acknowledge':
    case 'withdraw':
      // activate never rejects: a failure becomes an event in the tray and a notification.
      void engine.activate(command.buildKey, command.kind);
      return;
    case 'mute':
      return engine.mute(command.pattern);
    case 'unmute':
      return engine.unmute(command.pattern);
    case 'pause':
      return engine.pauseUntil(command.until);
    case 'resume':
      return engine.resume();
    case 'settings':
      return context.showSettings();
    case 'quit':
      return context.quit();
  }
}
