/**
 * Between the settings file and the window's form. The window edits a subset of the settings
 * (the rest, such as coalescing and tray sizes, stays as the file has it) and never sees a token:
 * the view says whether one is stored, and a token typed into the form is taken out here, to go
 * to the encrypted token store, before the settings are saved.
 */
import type { SettingsForm, SettingsView } from '../core/ipc/contract.js';
import type { Settings } from '../client/settings/schema.js';

/** The token store's names for the two tokens the app keeps. */
export const TOKEN_REFS = { relay: 'relay', cirrus: 'cirrus', github: 'github' } as const;

/** The window's view of the settings; `tokenStored` tells whether the source's token is kept. */
export function settingsView(settings: Settings, tokenStored: boolean): SettingsView {
  const { source } = settings;
  return {
    source:
      source.kind === 'demo'
        ? { kind: 'demo' }
        : source.kind === 'relay'
          ? { kind: 'relay', url: source.url, tokenStored }
          : { kind: source.kind, repositories: source.repositories, tokenStored },
    notifications: settings.notifications,
    mutedRepositories: settings.mutedRepositories,
    branches: settings.branches,
    quietHours: settings.quietHours,
    openAtLogin: settings.openAtLogin,
  };
}

export interface AppliedForm {
  /** The settings to save: the form's fields over the current ones, with token references only. */
  readonly settings: Settings;
  /** A new token to store under `ref`, when the form carried one. */
  readonly newToken: { readonly ref: string; readonly token: string } | null;
}

/** Applies a (parsed) form to the current settings. */
export function applySettingsForm(current: Settings, form: SettingsForm): AppliedForm {
  const base = {
    ...current,
    notifications: { ...current.notifications, ...form.notifications },
    mutedRepositories: form.mutedRepositories,
    branches: form.branches,
    quietHours: form.quietHours,
    openAtLogin: form.openAtLogin,
  };
  const { source } = form;
  if (source.kind === 'demo') return { settings: { ...base, source: { kind: 'demo' } }, newToken: null };
  const ref = TOKEN_REFS[source.kind];
  const newToken = source.token === undefined ? null : { ref, token: source.token };
  if (source.kind === 'relay') {
    return { settings: { ...base, source: { kind: 'relay', url: source.url, tokenRef: ref } }, newToken };
  }
  if (source.kind === 'github') {
    // The API URL (GitHub Enterprise) and interval are file-only settings: keep them.
    const kept = current.source.kind === 'github' ? { pollIntervalSeconds: current.source.pollIntervalSeconds, ...(current.source.apiUrl ? { apiUrl: current.source.apiUrl } : {}) } : { pollIntervalSeconds: 60 };
    return { settings: { ...base, source: { kind: 'github', repositories: source.repositories, tokenRef: ref, ...kept } }, newToken };
  }
  const pollIntervalSeconds = current.source.kind === 'cirrus' ? current.source.pollIntervalSeconds : 60;
  return {
    settings: { ...base, source: { kind: 'cirrus', repositories: source.repositories, tokenRef: ref, pollIntervalSeconds } },
    newToken,
  };
}
