/**
 * The settings window: created the first time it is asked for (the tray is the app; a window
 * nobody opened costs memory), shown and focused on later asks, destroyed when closed. Every
 * window goes through `secureWebPreferences` and only ever loads the app's own page.
 */
import { EVENT_CHANNELS, type EventContracts, type Section } from '../core/ipc/contract.js';
import { APP_PAGE, isAppUrl } from './appProtocol.js';
import { BrowserWindow, nativeTheme, type IpcMainInvokeEvent } from './electron.js';
import { secureWebPreferences } from './security.js';

export interface SettingsWindowOptions {
  /** The compiled preload (CommonJS: sandboxed preloads cannot load ES modules). */
  readonly preload: string;
  /** The app icon, for the window on Linux and Windows. */
  readonly icon?: string;
}

export interface SettingsWindow {
  /** Creates or focuses the window, then asks the page to show `section`. */
  show(section?: Section): void;
  /** Sends an event to the page when the window exists. */
  send<K extends keyof EventContracts>(channel: K, payload: EventContracts[K]): void;
  /** True for IPC from this window's top frame showing the app's page, and nothing else. */
  isOwnSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean;
  close(): void;
}

export function createSettingsWindow(options: SettingsWindowOptions): SettingsWindow {
  let window: InstanceType<typeof BrowserWindow> | null = null;
  let pending: Section | null = null;

  const open = () => {
    const created = new BrowserWindow({
      width: 760,
      height: 820,
      minWidth: 520,
      minHeight: 480,
      show: false,
      title: 'buildbell',
      autoHideMenuBar: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1c1f24' : '#ffffff',
      ...(options.icon ? { icon: options.icon } : {}),
      webPreferences: secureWebPreferences(options.preload),
    });
    created.once('ready-to-show', () => created.show());
    created.webContents.on('did-finish-load', () => {
      if (pending !== null) created.webContents.send(EVENT_CHANNELS.showSection, pending);
      pending = null;
    });
    created.on('closed', () => {
      if (window === created) window = null;
    });
    void created.loadURL(APP_PAGE);
    return created;
  };

  return {
    show(section = 'sources') {
      if (window === null) {
        pending = section;
        window = open();
        return;
      }
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      window.webContents.send(EVENT_CHANNELS.showSection, section);
    },
    send(channel, payload) {
      if (window !== null && !window.isDestroyed()) window.webContents.send(EVENT_CHANNELS[channel], payload);
    },
    isOwnSender(event) {
      if (window === null || window.isDestroyed()) return false;
      const frame = event.senderFrame;
      return (
        event.sender === window.webContents &&
        frame !== null &&
        frame === window.webContents.mainFrame &&
        isAppUrl(frame.url)
      );
    },
    close() {
      window?.destroy();
      window = null;
    },
  };
}
