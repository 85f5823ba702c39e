/**
 * Between the settings file and the window's form. The window edits a subset of the settings
 * (the rest, such as coalescing and tray sizes, stays as the file has it) and never sees a token:
 * the view says whether one is stored, and a token typed into the form is taken out here, to go
 * to the encrypted token store, before the settings are saved.
 */
import type { ActionTokensStored, SettingsForm, SettingsView } from '../core/ipc/contract.js';
import type { Settings } from '../client/settings/schema.js';

/**
 * The token store's names for the tokens the app keeps. A relay source keeps its action tokens
 * under `cirrus` and `github` too: the same tokens a polling source of that provider uses.
 */
export const TOKEN_REFS = { relay: 'relay', cirrus: 'cirrus', github: 'github' } as const;

const NO_ACTION_TOKENS: ActionTokensStored = { cirrus: false, github: false };

/**
 * The window's view of the settings; `tokenStored` tells whether the source's token is kept, and
 * `actionTokensStored` (relay only; default none) whether the tokens for Approve and Re-run are.
 */
export function settingsView(settings: Settings, tokenStored: boolean, actionTokensStored: ActionTokensStored = NO_ACTION_TOKENS): SettingsView {
  const { source } = settings;
  return {
    source:
      source.kind === 'demo'
        ? { kind: 'demo' }
        : source.kind === 'relay'
          ? { kind: 'relay', url: source.url, tokenStored, actionTokensStored }
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
  /** The new tokens the form carried, each to store under its `ref`; empty when none. */
  readonly newTokens: ReadonlyArray<{ readonly ref: string; readonly token: string }>;
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
  if (source.kind === 'demo') return { settings: { ...base, source: { kind: 'demo' } }, newTokens: [] };
  const ref = TOKEN_REFS[source.kind];
  const newToken = source.token === undefined ? [] : [{ ref, token: source.token }];
  if (source.kind === 'relay') {
    // The action tokens' references are always written: the source uses whichever token is stored.
    const newTokens = [
      ...newToken,
      ...(source.cirrusToken === undefined ? [] : [{ ref: TOKEN_REFS.cirrus, token: source.cirrusToken }]),
      ...(source.githubToken === undefined ? [] : [{ ref: TOKEN_REFS.github, token: source.githubToken }]),
    ];
    // `insecure` (cleartext to another machine) is a file-only opt-in for one relay: kept while the
    // URL stays, never carried over to a URL typed in the window.
    const keepsInsecure = current.source.kind === 'relay' && current.source.url === source.url && current.source.insecure === true;
    const relay = { kind: 'relay' as const, url: source.url, tokenRef: ref, cirrusTokenRef: TOKEN_REFS.cirrus, githubTokenRef: TOKEN_REFS.github, ...(keepsInsecure ? { insecure: true } : {}) };
    return { settings: { ...base, source: relay }, newTokens };
  }
  if (source.kind === 'github') {
    // The API URL (GitHub Enterprise) and interval are file-only settings: keep them.
    const kept = current.source.kind === 'github' ? { pollIntervalSeconds: current.source.pollIntervalSeconds, ...(current.source.apiUrl ? { apiUrl: current.source.apiUrl } : {}) } : { pollIntervalSeconds: 60 };
    return { settings: { ...base, source: { kind: 'github', repositories: source.repositories, tokenRef: ref, ...kept } }, newTokens: newToken };
  }
  const pollIntervalSeconds = current.source.kind === 'cirrus' ? current.source.pollIntervalSeconds : 60;
  return {
    settings: { ...base, source: { kind: 'cirrus', repositories: source.repositories, tokenRef: ref, pollIntervalSeconds } },
    newTokens: newToken,
  };
}
