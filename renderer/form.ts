/**
 * The settings form besides the sources: notification toggles, filters, quiet hours and open at
 * login, filled from main's view and read back into the contract's SettingsForm. Sources have
 * their own list and editor (sources.ts, sourceEditor.ts), each saved on its own.
 */
import type { AppState, SettingsForm } from '../src/core/ipc/contract.js';
import type { Transition } from '../src/core/engine/transition.js';
import { byId, element, lines } from './dom.js';

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

export function fillForm(state: AppState): void {
  const { settings } = state;
  for (const [transition] of TRANSITIONS) input(`notify-${transition}`).checked = settings.notifications[transition];
  textarea('muted').value = settings.mutedRepositories.join('\n');
  textarea('branches').value = settings.branches.join('\n');
  input('quiet-enabled').checked = settings.quietHours.enabled;
  input('quiet-start').value = settings.quietHours.start;
  input('quiet-end').value = settings.quietHours.end;
  input('open-at-login').checked = settings.openAtLogin;
}

export function readForm(): SettingsForm {
  return {
    notifications: Object.fromEntries(TRANSITIONS.map(([transition]) => [transition, input(`notify-${transition}`).checked])) as Record<Transition, boolean>,
    mutedRepositories: lines(textarea('muted').value),
    branches: lines(textarea('branches').value),
    quietHours: { enabled: input('quiet-enabled').checked, start: input('quiet-start').value, end: input('quiet-end').value },
    openAtLogin: input('open-at-login').checked,
  };
}
