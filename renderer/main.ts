/**
 * The settings window's script: loads the state from main, draws the sources and the form, and
 * wires the buttons. Each source is saved on its own from its editor; the rest of the settings by
 * "Save settings". Pushes from main (a new build, a source's connection, a mute from the tray)
 * refresh the header, the list of sources and the builds; the form only when nothing was edited,
 * and an open editor never.
 */
import type { AppState, Outcome, Section, SourceView } from '../src/core/ipc/contract.js';
import { api } from './api.js';
import { byId, showOutcome } from './dom.js';
import { buildToggles, fillForm, readForm } from './form.js';
import { closeEditor, editedName, editorOpen, nameEdited, openEditor, readSource, removeToggled, selectedKind, showKind } from './sourceEditor.js';
import { editButtonOf, renderSources } from './sources.js';
import { renderStatus } from './status.js';

let edited = false;
let current: AppState | null = null;

function render(state: AppState, refillForm: boolean): void {
  current = state;
  renderStatus(state);
  renderSources(state.sources, { edit: (source) => openEditor(source, names()), remove: (source) => void remove(source) });
  const warning = byId('token-storage');
  warning.hidden = state.tokenStorage.available;
  warning.textContent = state.tokenStorage.reason ?? '';
  byId('welcome').hidden = !state.firstRun;
  if (refillForm) {
    fillForm(state);
    edited = false;
  }
}

const names = () => current?.sources.map((source) => source.name) ?? [];

function showSection(section: Section): void {
  const target = byId(section);
  target.scrollIntoView({ block: 'start' });
  target.querySelector<HTMLElement>('input:not([hidden]), button:not([hidden]), textarea')?.focus();
}

/** Disables the button while `work` runs; a button that had the focus gets it back (disabling drops it to the page). */
async function withButton(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  const focused = document.activeElement === button;
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
    if (focused && button.isConnected && !button.closest('[hidden]') && (document.activeElement === document.body || document.activeElement === null)) button.focus();
  }
}

/** A refused IPC call rejects; its message, without Electron's "Error invoking remote method" prefix. */
async function outcomeOf<T>(call: Promise<Outcome<T>>): Promise<Outcome<T>> {
  return call.catch((error: Error) => ({ ok: false as const, error: error.message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '') }));
}

async function saveSettings(): Promise<void> {
  const output = byId<HTMLOutputElement>('save-result');
  const result = await outcomeOf(api.saveSettings(readForm()));
  if (result.ok) {
    render(result.value, true);
    showOutcome(output, true, 'Saved.');
  } else {
    showOutcome(output, false, result.error);
  }
}

async function saveSource(): Promise<void> {
  const source = readSource();
  const result = await outcomeOf(api.saveSource({ original: editedName(), source }));
  if (!result.ok) {
    showOutcome(byId<HTMLOutputElement>('source-result'), false, result.error);
    return;
  }
  closeEditor();
  render(result.value, !edited);
  showOutcome(byId<HTMLOutputElement>('sources-result'), true, `Saved “${source.name}”.`);
  editButtonOf(source.name)?.focus();
}

async function remove(source: SourceView): Promise<void> {
  const result = await outcomeOf(api.removeSource({ name: source.name }));
  const output = byId<HTMLOutputElement>('sources-result');
  if (!result.ok) {
    showOutcome(output, false, result.error);
    return;
  }
  if (editorOpen() && editedName() === source.name) closeEditor();
  render(result.value, !edited);
  showOutcome(output, true, `Removed “${source.name}”.`);
  byId('add-source').focus();
}

function wireSources(): void {
  byId<HTMLButtonElement>('add-source').addEventListener('click', () => openEditor(null, names()));
  byId<HTMLButtonElement>('use-demo').addEventListener('click', (event) => {
    void withButton(event.currentTarget as HTMLButtonElement, async () => {
      const result = await outcomeOf(api.saveSource({ original: null, source: { kind: 'demo', name: 'demo', provider: 'cirrus' } }));
      if (result.ok) render(result.value, !edited);
      showOutcome(byId<HTMLOutputElement>('sources-result'), result.ok, result.ok ? 'The demo is running: its builds appear below.' : result.error);
    });
  });
  const editor = byId<HTMLFormElement>('source-editor');
  editor.addEventListener('submit', (event) => {
    event.preventDefault();
    void withButton(byId<HTMLButtonElement>('save-source'), saveSource);
  });
  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancelEditor();
  });
  byId('cancel-source').addEventListener('click', cancelEditor);
  byId('source-name').addEventListener('input', nameEdited);
  for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="source-kind"]'))) {
    radio.addEventListener('change', () => showKind(selectedKind()));
  }
  for (const checkbox of Array.from(document.querySelectorAll<HTMLInputElement>('#source-editor input[id$="-remove"]'))) {
    checkbox.addEventListener('change', () => removeToggled(checkbox));
  }
  byId<HTMLButtonElement>('test-connection').addEventListener('click', (event) => {
    const output = byId<HTMLOutputElement>('test-result');
    showOutcome(output, true, 'Testing…');
    void withButton(event.currentTarget as HTMLButtonElement, async () => {
      const result = await outcomeOf(api.testConnection({ original: editedName(), source: readSource() }));
      showOutcome(output, result.ok, result.ok ? result.value : result.error);
    });
  });
}

/** Closes the editor without saving; the focus goes back where the editor was opened from. */
function cancelEditor(): void {
  const name = editedName();
  closeEditor();
  (name === null ? byId('add-source') : (editButtonOf(name) ?? byId('add-source'))).focus();
}

function wire(): void {
  wireSources();
  const form = byId<HTMLFormElement>('settings');
  form.addEventListener('input', () => (edited = true));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void withButton(byId<HTMLButtonElement>('save'), saveSettings);
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
