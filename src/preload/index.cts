/**
 * The preload: exposes `window.buildbell`, one named function per channel of the IPC contract,
 * and nothing else (never `ipcRenderer`, never a generic `invoke(channel)`), so the page can ask
 * only what the contract allows.
 *
 * Why CommonJS with no imports but 'electron': a sandboxed preload is run by Electron as a
 * CommonJS script that may require only a few built-in modules, so it cannot load the contract
 * module at run time. The channel names are repeated here and checked against the contract by
 * the compiler (`satisfies` below), so they cannot drift.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a .cts file imports this way; see above for why CommonJS
import electron = require('electron');
import type { AppState, BuildbellApi, EVENT_CHANNELS, INVOKE_CHANNELS, Section } from '../core/ipc/contract.js';

const invokeChannels = {
  getState: 'buildbell:get-state',
  saveSettings: 'buildbell:save-settings',
  saveSource: 'buildbell:save-source',
  removeSource: 'buildbell:remove-source',
  testConnection: 'buildbell:test-connection',
  sendTestNotification: 'buildbell:send-test-notification',
  openBuild: 'buildbell:open-build',
} as const satisfies typeof INVOKE_CHANNELS;

const eventChannels = {
  stateChanged: 'buildbell:state-changed',
  showSection: 'buildbell:show-section',
} as const satisfies typeof EVENT_CHANNELS;

type Ipc = Pick<typeof electron.ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** The API object for an ipcRenderer; exported so the test can build it with a fake one. */
function createBuildbellApi(ipc: Ipc): BuildbellApi {
  const subscribe = <T,>(channel: string, listener: (payload: T) => void) => {
    // The Electron event is not passed on: it carries `sender`, a way back into ipcRenderer.
    const wrapped = (_event: unknown, payload: T) => listener(payload);
    ipc.on(channel, wrapped);
    return () => void ipc.removeListener(channel, wrapped);
  };
  return {
    getState: () => ipc.invoke(invokeChannels.getState),
    saveSettings: (form) => ipc.invoke(invokeChannels.saveSettings, form),
    saveSource: (request) => ipc.invoke(invokeChannels.saveSource, request),
    removeSource: (request) => ipc.invoke(invokeChannels.removeSource, request),
    testConnection: (request) => ipc.invoke(invokeChannels.testConnection, request),
    sendTestNotification: () => ipc.invoke(invokeChannels.sendTestNotification),
    openBuild: (request) => ipc.invoke(invokeChannels.openBuild, request),
    onStateChanged: (listener) => subscribe<AppState>(eventChannels.stateChanged, listener),
    onShowSection: (listener) => subscribe<Section>(eventChannels.showSection, listener),
  };
}

electron.contextBridge.exposeInMainWorld('buildbell', createBuildbellApi(electron.ipcRenderer));
