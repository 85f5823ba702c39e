import { describe, expect, it } from 'vitest';
import type { SettingsForm } from '../core/ipc/contract.js';
import { defaultSettings, settingsSchema } from '../client/settings/schema.js';
import { applySettingsForm, settingsView, TOKEN_REFS } from './settingsForm.js';

const current = defaultSettings();
const rest: Omit<SettingsForm, 'source'> = {
  notifications: current.notifications,
  mutedRepositories: [],
  branches: [],
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  openAtLogin: false,
};

describe('the relay form and its action tokens', () => {
  it('takes the action tokens out of the settings, to be stored under the cirrus and github refs', () => {
    const { settings, newTokens } = applySettingsForm(current, {
      ...rest,
      source: { kind: 'relay', url: 'https://relay.acme.dev', token: 'r', cirrusToken: 'c', githubToken: 'g' },
    });
    expect(newTokens).toEqual([
      { ref: TOKEN_REFS.relay, token: 'r' },
      { ref: TOKEN_REFS.cirrus, token: 'c' },
      { ref: TOKEN_REFS.github, token: 'g' },
    ]);
    expect(settings.sources[0]).toEqual({ kind: 'relay', name: 'relay relay.acme.dev', url: 'https://relay.acme.dev', tokenRef: 'relay', cirrusTokenRef: 'cirrus', githubTokenRef: 'github' });
    expect(JSON.stringify(settings)).not.toMatch(/"[rcg]"/);
    // What is saved is a valid settings file.
    expect(settingsSchema.parse(settings).sources[0]).toEqual(settings.sources[0]);
  });

  it('keeps the file-only insecure opt-in while the URL stays, and drops it for a new URL', () => {
    const onLan = { ...current, sources: [{ kind: 'relay' as const, name: 'LAN relay', url: 'ws://10.0.0.5:8787', tokenRef: 'relay', insecure: true }] };
    const same = applySettingsForm(onLan, { ...rest, source: { kind: 'relay', url: 'ws://10.0.0.5:8787' } });
    expect(same.settings.sources[0]).toMatchObject({ url: 'ws://10.0.0.5:8787', insecure: true });
    const moved = applySettingsForm(onLan, { ...rest, source: { kind: 'relay', url: 'ws://10.0.0.6:8787' } });
    expect(moved.settings.sources[0]).not.toHaveProperty('insecure');
  });

  it('keeps the stored tokens when the fields are left empty', () => {
    const { newTokens } = applySettingsForm(current, { ...rest, source: { kind: 'relay', url: 'https://relay.acme.dev', githubToken: 'g' } });
    expect(newTokens).toEqual([{ ref: TOKEN_REFS.github, token: 'g' }]);
  });

  it('shows whether each action token is stored, never the token', () => {
    const { settings } = applySettingsForm(current, { ...rest, source: { kind: 'relay', url: 'https://relay.acme.dev' } });
    expect(settingsView(settings, true, { cirrus: true, github: false }).source).toEqual({
      kind: 'relay',
      url: 'https://relay.acme.dev',
      tokenStored: true,
      actionTokensStored: { cirrus: true, github: false },
    });
    expect(settingsView(settings, false).source).toMatchObject({ actionTokensStored: { cirrus: false, github: false } });
  });

  it('lets a polling source keep one token, as before', () => {
    const { newTokens, settings } = applySettingsForm(current, { ...rest, source: { kind: 'github', repositories: ['acme/web'], token: 'g' } });
    expect(newTokens).toEqual([{ ref: TOKEN_REFS.github, token: 'g' }]);
    expect(settings.sources[0]).toMatchObject({ kind: 'github', tokenRef: 'github' });
  });
});
