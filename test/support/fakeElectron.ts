/**
 * The one fake of Electron's main-process API, for every main-process test. Main imports Electron
 * only through src/main/electron.ts, so a test replaces that one module:
 *
 *   vi.mock('../../src/main/electron.js', async () => (await import('./fakeElectron.js')).fakeElectronModule());
 *
 * and reads what main did from `fake` (handlers registered, windows created with their options,
 * notifications shown, links opened), or drives it (emit an app event, click a notification,
 * call a captured IPC handler). `resetFakeElectron()` between tests.
 */
import { EventEmitter } from 'node:events';

class Emitter extends EventEmitter {}

export class FakeWebContents extends Emitter {
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly mainFrame: { url: string };
  constructor(url = '') {
    super();
    this.mainFrame = { url };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  /** Emits a cancellable event like Electron's; returns whether a listener prevented it. */
  emitCancellable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends Emitter {
  readonly webContents: FakeWebContents;
  loadedUrl: string | null = null;
  shown = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.webContents = new FakeWebContents();
    fake.windows.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  show(): void { this.shown = true; }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean { return false; }
  isDestroyed(): boolean { return this.destroyed; }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class FakeNotification extends Emitter {
  static supported = true;
  static isSupported(): boolean { return FakeNotification.supported; }
  shown = false;
  closed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    fake.notifications.push(this);
  }
  show(): void { this.shown = true; }
  close(): void {
    this.closed = true;
    this.emit('close', {});
  }
  click(): void { this.emit('click', {}); }
  pressAction(index: number): void { this.emit('action', {}, index); }
}

export class FakeTray {
  image: unknown;
  tooltip = '';
  menu: unknown = null;
  destroyed = false;
  constructor(image: unknown) {
    this.image = image;
    fake.trays.push(this);
  }
  setImage(image: unknown): void { this.image = image; }
  setToolTip(text: string): void { this.tooltip = text; }
  setContextMenu(menu: unknown): void { this.menu = menu; }
  destroy(): void { this.destroyed = true; }
}

/** A session whose handlers a test can call. */
export function createFakeSession() {
  return {
    permissionRequestHandler: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheckHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    devicePermissionHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    setPermissionRequestHandler(handler: NonNullable<typeof this.permissionRequestHandler>) { this.permissionRequestHandler = handler; },
    setPermissionCheckHandler(handler: NonNullable<typeof this.permissionCheckHandler>) { this.permissionCheckHandler = handler; },
    setDevicePermissionHandler(handler: NonNullable<typeof this.devicePermissionHandler>) { this.devicePermissionHandler = handler; },
  };
}

function createFake() {
  const app = Object.assign(new Emitter(), {
    singleInstance: true,
    loginItem: null as null | { openAtLogin: boolean },
    dockHidden: false,
    quitCalled: false,
    /** What `app.getAppMetrics()` answers: Electron's per-process metrics (memory in kilobytes). */
    metrics: [] as Array<{ pid: number; type: string; name?: string; creationTime: number; cpu: { percentCPUUsage: number; idleWakeupsPerSecond: number }; memory: { workingSetSize: number; peakWorkingSetSize: number; privateBytes?: number } }>,
    requestSingleInstanceLock: () => fake.app.singleInstance,
    setLoginItemSettings(settings: { openAtLogin: boolean }) { fake.app.loginItem = settings; },
    dock: { hide: () => (fake.app.dockHidden = true) },
    quit: () => (fake.app.quitCalled = true),
    getAppMetrics: () => fake.app.metrics,
    // Ready at once: a test that loads src/main/index.ts runs its start() on the next tick.
    whenReady: () => Promise.resolve(),
    getAppPath: () => process.cwd(),
  });
  return {
    app,
    windows: [] as FakeBrowserWindow[],
    notifications: [] as FakeNotification[],
    trays: [] as FakeTray[],
    opened: [] as string[],
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    session: createFakeSession(),
    encryption: { available: true, backend: 'gnome_libsecret' },
  };
}

/** What main did, and handles to drive it. */
export let fake = createFake();

export function resetFakeElectron(): void {
  fake = createFake();
  FakeNotification.supported = true;
}

/** The module that replaces src/main/electron.ts. Getters, so a reset fake is seen by modules already loaded. */
export function fakeElectronModule() {
  return {
    get app() { return fake.app; },
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Tray: FakeTray,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
        if (fake.handlers.has(channel)) throw new Error(`a handler for ${channel} is already registered`);
        fake.handlers.set(channel, handler);
      },
      removeHandler: (channel: string) => fake.handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
    nativeImage: { createFromPath: (file: string) => ({ file }) },
    nativeTheme: { shouldUseDarkColors: false },
    net: {},
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fake.protocolHandlers.set(scheme, handler),
    },
    safeStorage: {
      isEncryptionAvailable: () => fake.encryption.available,
      getSelectedStorageBackend: () => fake.encryption.backend,
      // Reversible, and visibly not the plain text, so a test can tell the two apart.
      encryptString: (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`),
      decryptString: (sealed: Buffer) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'hex').toString(),
    },
    session: { get defaultSession() { return fake.session; } },
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  };
}

