/**
 * The settings form: filled from main's view of the settings, read back into the contract's
 * SettingsForm. Token fields start empty: main never sends a token, it says whether one is
 * stored, and an empty field on save keeps the stored one.
 */
import type { AppState, SettingsForm, SourceForm } from '../src/core/ipc/contract.js';
import type { Transition } from '../src/core/engine/transition.js';
import { byId, element, lines } from './dom.js';

type Kind = SourceForm['kind'];

/** The toggles, in the order people think of them, with words for each. */
const TRANSITIONS: ReadonlyArray<readonly [Transition, string]> = [
  ['failed', 'fails'],
  ['still_failing', 'is still failing'],
  ['errored', 'errors'],
  ['fixed', 'is fixed'],
  ['needs_approval', 'needs approval'],
  ['started', 'starts'],
  ['passed', 'passes'],
  ['aborted', 'is aborted'],
];

const input = (id: string) => byId<HTMLInputElement>(id);
const textarea = (id: string) => byId<HTMLTextAreaElement>(id);

/** Builds the toggles once. */
export function buildToggles(): void {
  byId('toggles').replaceChildren(
    ...TRANSITIONS.map(([transition, words]) => {
      const label = element('label');
      label.append(element('input', { type: 'checkbox', id: `notify-${transition}`, name: transition }), ` ${words}`);
      return label;
    }),
  );
}

export function selectedKind(): Kind {
  const checked = document.querySelector<HTMLInputElement>('input[name="source-kind"]:checked');
  return (checked?.value ?? 'demo') as Kind;
}

/** Shows the fields of the chosen source only. */
export function showKind(kind: Kind): void {
  for (const fields of Array.from(document.querySelectorAll<HTMLElement>('.fields'))) fields.hidden = fields.dataset.kind !== kind;
  for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="source-kind"]'))) radio.checked = radio.value === kind;
}

export function fillForm(state: AppState): void {
  const { settings } = state;
  const source = settings.source;
  showKind(source.kind);
  input('relay-url').value = source.kind === 'relay' ? source.url : '';
  for (const kind of ['cirrus', 'github'] as const) {
    textarea(`${kind}-repositories`).value = source.kind === kind ? source.repositories.join('\n') : '';
  }
  for (const kind of ['relay', 'cirrus', 'github'] as const) showTokenField(`${kind}-token`, source.kind === kind && source.tokenStored);
  for (const provider of ['cirrus', 'github'] as const) {
    showTokenField(`relay-${provider}-token`, source.kind === 'relay' && source.actionTokensStored[provider]);
  }
  const warning = byId('token-storage');
  warning.hidden = state.tokenStorage.available;
  warning.textContent = state.tokenStorage.reason ?? '';
  byId('welcome').hidden = !state.firstRun;
  for (const [transition] of TRANSITIONS) input(`notify-${transition}`).checked = settings.notifications[transition];
  textarea('muted').value = settings.mutedRepositories.join('\n');
  textarea('branches').value = settings.branches.join('\n');
  input('quiet-enabled').checked = settings.quietHours.enabled;
  input('quiet-start').value = settings.quietHours.start;
  input('quiet-end').value = settings.quietHours.end;
  input('open-at-login').checked = settings.openAtLogin;
}

/** Empties a token field and says whether a token is stored behind it. */
function showTokenField(id: string, stored: boolean): void {
  const field = input(id);
  field.value = '';
  field.placeholder = stored ? 'A token is stored — leave empty to keep it' : '';
  byId(`${id}-help`).textContent = stored
    ? 'Stored encrypted by your system’s keychain; it is never shown again.'
    : 'Kept encrypted by your system’s keychain, never in a plain file.';
}

/** `{ [name]: token }` when a token was typed into the field, else nothing. */
function typedToken<K extends string>(id: string, name: K): Partial<Record<K, string>> {
  const token = input(id).value.trim();
  return token === '' ? {} : ({ [name]: token } as Record<K, string>);
}

/** The source as the form has it; each token only when one was typed. */
export function readSource(): SourceForm {
  const kind = selectedKind();
  if (kind === 'demo') return { kind };
  const withToken = typedToken(`${kind}-token`, 'token');
  if (kind === 'relay') {
    return { kind, url: input('relay-url').value.trim(), ...withToken, ...typedToken('relay-cirrus-token', 'cirrusToken'), ...typedToken('relay-github-token', 'githubToken') };
  }
  return { kind, repositories: lines(textarea(`${kind}-repositories`).value), ...withToken };
}

export function readForm(): SettingsForm {
  return {
    source: readSource(),
    notifications: Object.fromEntries(TRANSITIONS.map(([transition]) => [transition, input(`notify-${transition}`).checked])) as Record<Transition, boolean>,
    mutedRepositories: lines(textarea('muted').value),
    branches: lines(textarea('branches').value),
    quietHours: { enabled: input('quiet-enabled').checked, start: input('quiet-start').value, end: input('quiet-end').value },
    openAtLogin: input('open-at-login').checked,
  };
}
