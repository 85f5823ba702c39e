/**
 * Everything the main process takes from Electron, in one place. Tests replace this one module
 * (`vi.mock('./electron.js', ...)` with test/support/fakeElectron.ts), so no main-process
 * module imports 'electron' directly: the fake and the real API meet only here.
 */
export {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  net,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
export type {
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  NotificationConstructorOptions,
  Session,
  WebContents,
  WebPreferences,
} from 'electron';
