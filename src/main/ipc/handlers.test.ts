import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outcome, SettingsForm } from '../../core/ipc/contract.js';
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
function fakeRuntime(initial: Settings = defaultSettings()): DesktopRuntime {
  let settings = initial;
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

const rest: SettingsForm = {
  notifications: defaultSettings().notifications,
  mutedRepositories: [],
  branches: [],
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  openAtLogin: false,
};

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-handlers-'));
  tokens = createTokenStore(path.join(folder, 'tokens.json'), encryptor);
  applied = [];
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const handlersWith = (runtime = fakeRuntime()) => createInvokeHandlers({ runtime, tokens, notifier: { showOwn: () => {} }, showWindow: () => {} });

function ok<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

describe('saving a relay with tokens for Approve and Re-run', () => {
  it('stores them encrypted under the source’s own references, restarts the source, and answers only that they are stored', async () => {
    const handlers = handlersWith();
    const state = ok(await handlers.saveSource({
      original: null,
      source: { kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', token: 'relay-secret', cirrusToken: 'cirrus-secret', githubToken: 'github-secret' },
    }));
    expect(state.sources.at(-1)).toMatchObject({
      name: 'work relay',
      kind: 'relay',
      url: 'https://relay.acme.dev',
      tokens: { token: { stored: true, env: null }, cirrusToken: { stored: true, env: null }, githubToken: { stored: true, env: null } },
    });
    expect(JSON.stringify(state)).not.toMatch(/secret/);
    expect(await tokens.get('source:work relay:cirrusToken')).toBe('cirrus-secret');
    expect(await readFile(path.join(folder, 'tokens.json'), 'utf8')).not.toMatch(/secret/);
    expect(applied.at(-1)?.restartSources).toEqual(['work relay']);

    // Saved again with the fields empty: the tokens stay, and nothing new asks for a restart.
    const again = ok(await handlers.saveSource({ original: 'work relay', source: { kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev' } }));
    expect(again.sources.at(-1)).toMatchObject({ tokens: { cirrusToken: { stored: true }, githubToken: { stored: true } } });
    expect(applied.at(-1)?.restartSources).toEqual([]);
  });

  it('refuses a relay without a token, and stores nothing', async () => {
    const refused = await handlersWith().saveSource({ original: null, source: { kind: 'relay', name: 'r', url: 'https://relay.acme.dev', githubToken: 'github-secret' } });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/needs a token/) });
    expect(await tokens.has('source:r:githubToken')).toBe(false);
    expect(applied).toEqual([]);
  });

  it('refuses a relay over http to another machine, which would send its token in cleartext', async () => {
    const refused = await handlersWith().saveSource({ original: null, source: { kind: 'relay', name: 'r', url: 'http://relay.acme.dev', token: 't' } });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/cleartext/) });
  });
});

describe('the list of sources', () => {
  it('adds a second source beside the first, refuses a name taken, and removes one with the tokens only it named', async () => {
    const handlers = handlersWith();
    ok(await handlers.saveSource({ original: null, source: { kind: 'github', name: 'personal GitHub', repositories: ['me/dotfiles'], token: 'gh-secret' } }));
    expect(applied.at(-1)?.settings.sources.map((source) => source.name)).toEqual(['demo', 'personal GitHub']);
    const clash = await handlers.saveSource({ original: null, source: { kind: 'cirrus', name: 'Personal github', repositories: ['acme/web'] } });
    expect(clash).toMatchObject({ ok: false, error: expect.stringMatching(/already called “personal GitHub”/) });

    const state = ok(await handlers.removeSource({ name: 'personal GitHub' }));
    expect(state.sources.map((source) => source.name)).toEqual(['demo']);
    expect(await tokens.has('source:personal GitHub:token')).toBe(false);
  });

  it('keeps a token another source still names when one of them is removed', async () => {
    await tokens.set('cirrus', 'shared');
    const runtime = fakeRuntime({
      ...defaultSettings(),
      sources: [
        { kind: 'relay', name: 'relay', url: 'https://relay.acme.dev', tokenRef: 'relay', cirrusTokenRef: 'cirrus' },
        { kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], tokenRef: 'cirrus', pollIntervalSeconds: 60 },
      ],
    });
    ok(await handlersWith(runtime).removeSource({ name: 'Cirrus CI' }));
    expect(await tokens.get('cirrus')).toBe('shared');
  });

  it('renames a source: its tokens move, the old name’s references are gone', async () => {
    const handlers = handlersWith();
    ok(await handlers.saveSource({ original: null, source: { kind: 'github', name: 'work', repositories: ['acme/web'], token: 'gh-secret' } }));
    const state = ok(await handlers.saveSource({ original: 'work', source: { kind: 'github', name: 'work (old)', repositories: ['acme/web'] } }));
    expect(state.sources.map((source) => source.name)).toEqual(['demo', 'work (old)']);
    expect(await tokens.get('source:work (old):token')).toBe('gh-secret');
    expect(await tokens.has('source:work:token')).toBe(false);
    expect(applied.at(-1)?.restartSources).toEqual(['work (old)']);
  });

  it('removes a stored token when asked, and says it is gone', async () => {
    const handlers = handlersWith();
    ok(await handlers.saveSource({ original: null, source: { kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], token: 'c' } }));
    const state = ok(await handlers.saveSource({ original: 'Cirrus CI', source: { kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], removeTokens: ['token'] } }));
    expect(state.sources.at(-1)).toMatchObject({ tokens: { token: { stored: false } } });
    expect(await tokens.has('source:Cirrus CI:token')).toBe(false);
  });

  it('saves the rest of the settings without touching a source', async () => {
    const handlers = handlersWith();
    const state = ok(await handlers.saveSettings({ ...rest, mutedRepositories: ['acme/legacy'] }));
    expect(state.settings.mutedRepositories).toEqual(['acme/legacy']);
    expect(applied.at(-1)?.settings.sources).toEqual(defaultSettings().sources);
  });
});

describe('testing one source’s connection', () => {
  it('tries a GitLab source against its own API URL', async () => {
    // Nothing listens there: the answer names GitLab and why it could not be reached.
    const answer = await handlersWith().testConnection({ original: null, source: { kind: 'gitlab', name: 'GitLab', repositories: ['acme/web'], apiUrl: 'http://127.0.0.1:9/api/v4' } });
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/^Could not reach GitLab/) });
  });

  it('tries a relay with the token stored for that source when the form brings none', async () => {
    const handlers = handlersWith();
    ok(await handlers.saveSource({ original: null, source: { kind: 'relay', name: 'r', url: 'https://127.0.0.1:9', token: 'stored-secret' } }));
    // No relay listens there: the answer is a sentence about the connection, not "enter the token".
    const answer = await handlers.testConnection({ original: 'r', source: { kind: 'relay', name: 'r', url: 'https://127.0.0.1:9' } });
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/Could not connect to the relay at 127\.0\.0\.1:9/) });
    const without = await handlers.testConnection({ original: null, source: { kind: 'relay', name: 'r2', url: 'https://127.0.0.1:9' } });
    expect(without).toMatchObject({ ok: false, error: expect.stringMatching(/Enter the token/) });
  });
});
