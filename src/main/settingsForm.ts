/**
 * Between the settings file and the window's form. The window edits a subset of the settings
 * (the rest, such as coalescing and tray sizes, stays as the file has it) and never sees a token:
 * the view says whether one is stored, and a token typed into the form is taken out here, to go
 * to the encrypted token store, before the settings are saved.
 */
import type { ActionTokensStored, SettingsForm, SettingsView } from '../core/ipc/contract.js';
import { defaultSourceName, type Settings, type SourceSettings } from '../client/settings/schema.js';

/**
 * The token store's names for the tokens the app keeps. A relay source keeps its action tokens
 * under `cirrus` and `github` too: the same tokens a polling source of that provider uses.
 */
export const TOKEN_REFS = { relay: 'relay', cirrus: 'cirrus', github: 'github' } as const;

const NO_ACTION_TOKENS: ActionTokensStored = { cirrus: false, github: false };

/** Where the token store keeps a source's token: by the source's name and the token's purpose. */
export function tokenRefFor(sourceName: string, purpose: 'token' | 'cirrusToken' | 'githubToken'): string {
  return `source:${sourceName}:${purpose}`;
}

type FormEditable = Exclude<SourceSettings, { kind: 'gitlab' }>;

/** Where in the list the source the form edits is: the first it can edit (the others stay as the file has them); -1 for none. */
function formSourceIndex(settings: Settings): number {
  return settings.sources.findIndex((source) => source.kind !== 'gitlab');
}

/** The source the form edits. */
export function formSource(settings: Settings): FormEditable {
  return (settings.sources[formSourceIndex(settings)] as FormEditable | undefined) ?? { kind: 'demo', name: 'demo' };
}

/**
 * The window's view of the settings; `tokenStored` tells whether the source's token is kept, and
 * `actionTokensStored` (relay only; default none) whether the tokens for Approve and Re-run are.
 */
export function settingsView(settings: Settings, tokenStored: boolean, actionTokensStored: ActionTokensStored = NO_ACTION_TOKENS): SettingsView {
  const source = formSource(settings);
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
  const currentSource = formSource(current);
  const index = formSourceIndex(current);
  const others = current.sources.filter((_, at) => at !== index);
  // The edited source keeps its name while its kind stays; a new kind gets that kind's name.
  const name = currentSource.kind === source.kind ? currentSource.name : uniqueName(defaultSourceName(source), others);
  const withSource = (edited: SourceSettings): Settings => {
    const sources = [...current.sources];
    if (index === -1) sources.unshift(edited);
    else sources[index] = edited;
    return { ...base, sources };
  };
  if (source.kind === 'demo') return { settings: withSource({ kind: 'demo', name }), newTokens: [] };
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
    const keepsInsecure = currentSource.kind === 'relay' && currentSource.url === source.url && currentSource.insecure === true;
    const relay = { kind: 'relay' as const, name, url: source.url, tokenRef: ref, cirrusTokenRef: TOKEN_REFS.cirrus, githubTokenRef: TOKEN_REFS.github, ...(keepsInsecure ? { insecure: true } : {}) };
    return { settings: withSource(relay), newTokens };
  }
  if (source.kind === 'github') {
    // The API URL (GitHub Enterprise) and interval are file-only settings: keep them.
    const kept = currentSource.kind === 'github' ? { pollIntervalSeconds: currentSource.pollIntervalSeconds, ...(currentSource.apiUrl ? { apiUrl: currentSource.apiUrl } : {}) } : { pollIntervalSeconds: 60 };
    return { settings: withSource({ kind: 'github', name, repositories: source.repositories, tokenRef: ref, ...kept }), newTokens: newToken };
  }
  const pollIntervalSeconds = currentSource.kind === 'cirrus' ? currentSource.pollIntervalSeconds : 60;
  return {
    settings: withSource({ kind: 'cirrus', name, repositories: source.repositories, tokenRef: ref, pollIntervalSeconds }),
    newTokens: newToken,
  };
}

/** `name`, or "name 2", "name 3"… when another source has it. */
function uniqueName(name: string, others: readonly SourceSettings[]): string {
  const taken = new Set(others.map((source) => source.name.toLowerCase()));
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = `${name} ${n}`;
  return candidate;
}
