/**
 * The settings window's script: loads the state from main, fills the form, and wires the
 * buttons. Edits stay in the form until Save; pushes from main (a new build, a mute from the
 * tray) refresh the header and the build list, and the form only when nothing was edited.
 */
import type { AppState, Section } from '../src/core/ipc/contract.js';
import { api } from './api.js';
import { byId, showOutcome } from './dom.js';
import { buildToggles, fillForm, readForm, readSource, selectedKind, showKind } from './form.js';
import { renderStatus } from './status.js';

let edited = false;

function render(state: AppState, refillForm: boolean): void {
  renderStatus(state);
  if (refillForm) {
    fillForm(state);
    edited = false;
  }
}

function showSection(section: Section): void {
  const target = byId(section);
  target.scrollIntoView({ block: 'start' });
  target.querySelector<HTMLElement>('input, button, textarea')?.focus();
}

async function withButton(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

async function save(): Promise<void> {
  const output = byId<HTMLOutputElement>('save-result');
  const result = await api.saveSettings(readForm());
  if (result.ok) {
    render(result.value, true);
    showOutcome(output, true, 'Saved.');
  } else {
    showOutcome(output, false, result.error);
  }
}

function wire(): void {
  const form = byId<HTMLFormElement>('settings');
  form.addEventListener('input', () => (edited = true));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void withButton(byId<HTMLButtonElement>('save'), save);
  });
  for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="source-kind"]'))) {
    radio.addEventListener('change', () => showKind(selectedKind()));
  }
  byId<HTMLButtonElement>('use-demo').addEventListener('click', (event) => {
    showKind('demo');
    void withButton(event.currentTarget as HTMLButtonElement, save);
  });
  byId<HTMLButtonElement>('test-connection').addEventListener('click', (event) => {
    const output = byId<HTMLOutputElement>('test-result');
    showOutcome(output, true, 'Testing…');
    void withButton(event.currentTarget as HTMLButtonElement, async () => {
      const result = await api.testConnection({ source: readSource() }).catch((error: Error) => ({ ok: false as const, error: error.message }));
      showOutcome(output, result.ok, result.ok ? result.value : result.error);
    });
  });
  byId<HTMLButtonElement>('test-notification').addEventListener('click', (event) => {
    const output = byId<HTMLOutputElement>('test-notification-result');
    void withButton(event.currentTarget as HTMLButtonElement, async () => {
      const result = await api.sendTestNotification();
      showOutcome(output, result.ok, result.ok ? result.value : result.error);
    });
  });
  api.onStateChanged((state) => render(state, !edited));
  api.onShowSection(showSection);
  // Refresh "last event 2 min ago" while the window is open: main writes those lines.
  setInterval(() => void api.getState().then((state) => render(state, !edited)), 30_000);
}

async function start(): Promise<void> {
  buildToggles();
  wire();
  const state = await api.getState();
  render(state, true);
  document.documentElement.dataset.ready = 'true';
}

void start();
