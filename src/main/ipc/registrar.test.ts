import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron, FakeWebContents } from '../../../test/support/fakeElectron.js';
import { INVOKE_CHANNELS } from '../../core/ipc/contract.js';
import { createSettingsWindow } from '../settingsWindow.js';
import { registerInvokeHandlers, type InvokeHandlers } from './registrar.js';

vi.mock('../electron.js', async () => (await import('../../../test/support/fakeElectron.js')).fakeElectronModule());

const calls: unknown[] = [];
const handlers: InvokeHandlers = {
  getState: async () => { calls.push('getState'); return {} as never; },
  saveSettings: async (form) => { calls.push(form); return { ok: false, error: 'x' }; },
  saveSource: async (request) => { calls.push(request); return { ok: false, error: 'x' }; },
  removeSource: async (request) => { calls.push(request); return { ok: false, error: 'x' }; },
  testConnection: async () => ({ ok: true, value: 'fine' }),
  sendTestNotification: async () => ({ ok: true, value: 'sent' }),
  openBuild: async (request) => { calls.push(request); return { ok: true, value: undefined }; },
};

let own: { sender: FakeWebContents; senderFrame: { url: string } };

beforeEach(() => {
  resetFakeElectron();
  calls.length = 0;
  const settingsWindow = createSettingsWindow({ preload: '/p.cjs' });
  settingsWindow.show();
  const window = fake.windows[0]!;
  own = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  registerInvokeHandlers(handlers, (event) => settingsWindow.isOwnSender(event as never));
});

const invoke = (channel: string, event: unknown, payload?: unknown) => fake.handlers.get(channel)!(event, payload);

describe('the IPC registrar', () => {
  it('registers a handler for every channel of the contract', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
  });

  it('answers the app window', async () => {
    await invoke(INVOKE_CHANNELS.openBuild, own, { buildKey: 'cirrus:1' });
    expect(calls).toEqual([{ buildKey: 'cirrus:1' }]);
  });

  it('rejects a foreign sender, and the handler never runs', async () => {
    const foreign = new FakeWebContents('app://buildbell/index.html');
    await expect(invoke(INVOKE_CHANNELS.getState, { sender: foreign, senderFrame: foreign.mainFrame })).rejects.toThrow(/not buildbell's window/);
    expect(calls).toEqual([]);
  });

  it('rejects the app window once it shows another page', async () => {
    own.senderFrame.url = 'https://evil.example/';
    await expect(invoke(INVOKE_CHANNELS.getState, own)).rejects.toThrow(/not buildbell's window/);
  });

  it('rejects a subframe of the app window', async () => {
    await expect(invoke(INVOKE_CHANNELS.getState, { sender: own.sender, senderFrame: { url: 'app://buildbell/index.html' } })).rejects.toThrow(/not buildbell's window/);
  });

  it('parses every payload with the contract and refuses what does not fit', async () => {
    await expect(invoke(INVOKE_CHANNELS.openBuild, own, { buildKey: '' })).rejects.toThrow(/invalid request: buildKey/);
    await expect(invoke(INVOKE_CHANNELS.openBuild, own, { buildKey: 'cirrus:1', extra: true })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.getState, own, { anything: 1 })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.saveSource, own, { original: null, source: { kind: 'relay', name: 'r', url: 'javascript:alert(1)' } })).rejects.toThrow(/invalid request/);
    // A source's fields are its kind's: no endpoint, insecure flag or token reference from the window.
    await expect(invoke(INVOKE_CHANNELS.saveSource, own, { original: null, source: { kind: 'relay', name: 'r', url: 'https://relay.acme.dev', insecure: true } })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.saveSource, own, { original: null, source: { kind: 'github', name: 'g', repositories: ['acme/web'], tokenRef: 'relay' } })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.saveSource, own, { original: null, source: { kind: 'relay', name: 'r', url: 'https://relay.acme.dev', removeTokens: ['token'] } })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.saveSource, own, { original: null, source: { kind: 'gitlab', name: ' ', repositories: ['acme'] } })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.removeSource, own, { name: '' })).rejects.toThrow(/invalid request/);
    await expect(invoke(INVOKE_CHANNELS.saveSettings, own, { source: { kind: 'demo' } })).rejects.toThrow(/invalid request/);
    expect(calls).toEqual([]);
  });
});
