import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsForm } from '../../core/ipc/contract.js';
import type { Engine } from '../../client/engine/engine.js';
import { defaultSettings, type Settings } from '../../client/settings/schema.js';
import { createTokenStore, type Encryptor, type TokenStore } from '../../client/settings/tokenStore.js';
import type { DesktopRuntime } from '../runtime.js';
import { createInvokeHandlers } from './handlers.js';

const encryptor: Encryptor = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x5a)),
  decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString(),
};

let folder: string;
let tokens: TokenStore;
let applied: Array<{ settings: Settings; restartSources: readonly string[] | undefined }>;

/** The runtime as the handlers see it: it keeps the settings and records each apply. */
function fakeRuntime(): DesktopRuntime {
  let settings = defaultSettings();
  return {
    start: async () => {},
    engine: () => ({ trayModel: () => ({ connections: [] }) }) as unknown as Engine,
    settings: () => settings,
    sources: () => [],
    firstRun: () => false,
    problem: () => null,
    async applySettings(next, options) {
      applied.push({ settings: next, restartSources: options?.restartSources });
      settings = next;
    },
    onChange: () => {},
    stop: async () => {},
  };
}

const form = (source: SettingsForm['source']): SettingsForm => ({
  source,
  notifications: defaultSettings().notifications,
  mutedRepositories: [],
  branches: [],
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  openAtLogin: false,
});

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-handlers-'));
  tokens = createTokenStore(path.join(folder, 'tokens.json'), encryptor);
  applied = [];
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('saving a relay with tokens for Approve and Re-run', () => {
  it('stores them encrypted, restarts the source, and answers only that they are stored', async () => {
    const handlers = createInvokeHandlers({ runtime: fakeRuntime(), tokens, notifier: { showOwn: () => {} }, showWindow: () => {} });
    const saved = await handlers.saveSettings(
      form({ kind: 'relay', url: 'https://relay.acme.dev', token: 'relay-secret', cirrusToken: 'cirrus-secret', githubToken: 'github-secret' }),
    );
    if (!saved.ok) throw new Error(saved.error);
    expect(saved.value.settings.source).toEqual({
      kind: 'relay',
      url: 'https://relay.acme.dev',
      tokenStored: true,
      actionTokensStored: { cirrus: true, github: true },
    });
    expect(JSON.stringify(saved.value)).not.toMatch(/secret/);
    expect(await tokens.get('cirrus')).toBe('cirrus-secret');
    expect(await tokens.get('github')).toBe('github-secret');
    expect(await readFile(path.join(folder, 'tokens.json'), 'utf8')).not.toMatch(/secret/);
    expect(applied.at(-1)?.restartSources).toEqual(['relay relay.acme.dev']);

    // Saved again with the fields empty: the tokens stay, and nothing new asks for a restart.
    const again = await handlers.saveSettings(form({ kind: 'relay', url: 'https://relay.acme.dev' }));
    if (!again.ok) throw new Error(again.error);
    expect(again.value.settings.source).toMatchObject({ actionTokensStored: { cirrus: true, github: true } });
    expect(applied.at(-1)?.restartSources).toEqual([]);
  });

  it('says which one is stored when only one was given', async () => {
    await tokens.set('relay', 'relay-secret');
    const handlers = createInvokeHandlers({ runtime: fakeRuntime(), tokens, notifier: { showOwn: () => {} }, showWindow: () => {} });
    const saved = await handlers.saveSettings(form({ kind: 'relay', url: 'https://relay.acme.dev', githubToken: 'github-secret' }));
    if (!saved.ok) throw new Error(saved.error);
    expect(saved.value.settings.source).toMatchObject({ actionTokensStored: { cirrus: false, github: true } });
  });
});
