/**
 * The editor of one source, below the list: the kind (chosen when adding; fixed when editing, as
 * an account's kind is in Gitify), a name, the kind's fields, and its tokens. A token field starts
 * empty: main never sends a token, it says whether one is stored ("stored" in the field's
 * placeholder and help). Typing a token replaces the stored one; "Remove the stored token" deletes
 * it on save; leaving the field empty keeps it.
 */
import type { SourceForm, SourceFormKind, SourceView, TokenPurpose, TokenView } from '../src/core/ipc/contract.js';
import { byId, lines } from './dom.js';
import { KIND_WORDS } from './sources.js';

type PollingKind = 'cirrus' | 'github' | 'gitlab';

/** The token fields of each kind, by purpose. */
const TOKEN_FIELDS: Readonly<Record<SourceFormKind, ReadonlyArray<readonly [TokenPurpose, string]>>> = {
  demo: [],
  relay: [['token', 'relay-token'], ['cirrusToken', 'relay-cirrus-token'], ['githubToken', 'relay-github-token'], ['gitlabToken', 'relay-gitlab-token']],
  cirrus: [['token', 'cirrus-token']],
  github: [['token', 'github-token']],
  gitlab: [['token', 'gitlab-token']],
};

const DEFAULT_NAMES: Readonly<Record<SourceFormKind, string>> = { demo: 'demo', relay: 'relay', cirrus: 'Cirrus CI', github: 'GitHub', gitlab: 'GitLab' };

const input = (id: string) => byId<HTMLInputElement>(id);
const textarea = (id: string) => byId<HTMLTextAreaElement>(id);

/** The source being edited: null while adding one. */
let original: string | null = null;
/** The other sources' names, for a default name that is free. */
let taken: readonly string[] = [];
/** Whether the user typed a name (then a change of kind no longer renames). */
let nameTyped = false;

export function editorOpen(): boolean {
  return !byId('source-editor').hidden;
}

/** The name of the source being edited, null while adding. */
export function editedName(): string | null {
  return original;
}

export function selectedKind(): SourceFormKind {
  const checked = document.querySelector<HTMLInputElement>('input[name="source-kind"]:checked');
  return (checked?.value ?? 'relay') as SourceFormKind;
}

/** Shows the fields of the chosen kind only. */
export function showKind(kind: SourceFormKind): void {
  for (const fields of Array.from(document.querySelectorAll<HTMLElement>('#source-editor .fields'))) fields.hidden = fields.dataset.kind !== kind;
  for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="source-kind"]'))) radio.checked = radio.value === kind;
  if (original === null && !nameTyped) input('source-name').value = freeName(DEFAULT_NAMES[kind]);
}

/** Opens the editor on a new source of `kind`, or on `source`. `others` are every source's names. */
export function openEditor(source: SourceView | null, names: readonly string[], kind: SourceFormKind = 'relay'): void {
  original = source?.name ?? null;
  taken = names.filter((name) => name !== original);
  nameTyped = false;
  clearFields();
  byId('editor-title').textContent = source === null ? 'Add a source' : `Edit “${source.name}” (${KIND_WORDS[source.kind]})`;
  // The kind of a saved source stays: another kind is another source (remove this one, add that).
  byId('kind-choices').hidden = source !== null;
  showKind(source?.kind ?? kind);
  if (source !== null) fillSource(source);
  byId('source-editor').hidden = false;
  byId('source-editor').scrollIntoView({ block: 'nearest' });
  (source === null ? document.querySelector<HTMLInputElement>('input[name="source-kind"]:checked') : input('source-name'))?.focus();
}

export function closeEditor(): void {
  byId('source-editor').hidden = true;
  clearFields();
}

/** The name field was typed into. */
export function nameEdited(): void {
  nameTyped = true;
}

function clearFields(): void {
  for (const field of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('#source-editor input:not([type="radio"]), #source-editor textarea'))) {
    if (field instanceof HTMLInputElement && field.type === 'checkbox') field.checked = false;
    else field.value = '';
    field.disabled = false;
  }
  byId<HTMLSelectElement>('demo-provider').value = 'cirrus';
  for (const [, id] of Object.values(TOKEN_FIELDS).flat()) showToken(id, { stored: false, env: null });
  for (const id of ['test-result', 'source-result']) byId(id).textContent = '';
}

function fillSource(source: SourceView): void {
  input('source-name').value = source.name;
  if (source.kind === 'demo') {
    byId<HTMLSelectElement>('demo-provider').value = source.provider;
    return;
  }
  if (source.kind === 'relay') {
    input('relay-url').value = source.url;
    for (const [purpose, id] of TOKEN_FIELDS.relay) showToken(id, source.tokens[purpose as keyof typeof source.tokens]);
    return;
  }
  textarea(`${source.kind}-repositories`).value = source.repositories.join('\n');
  if (source.kind !== 'cirrus') input(`${source.kind}-api-url`).value = source.apiUrl ?? '';
  showToken(`${source.kind}-token`, source.tokens.token);
}

/** Says whether a token is stored behind a field (and offers to remove it), never what it is. */
function showToken(id: string, token: TokenView): void {
  const field = input(id);
  field.value = '';
  field.disabled = false;
  field.placeholder = token.stored ? 'Stored — leave empty to keep it' : token.env !== null ? `From $${token.env}` : '';
  byId(`${id}-help`).textContent = token.stored
    ? 'Stored encrypted by your system’s keychain; it is never shown again. Type a new one to replace it.'
    : token.env !== null
      ? `Read from the environment variable ${token.env}, as the settings file says. A token typed here is stored instead.`
      : 'Kept encrypted by your system’s keychain, never in a plain file.';
  const remove = document.getElementById(`${id}-remove`) as HTMLInputElement | null;
  if (remove) {
    remove.checked = false;
    remove.closest('label')!.hidden = !token.stored;
  }
}

/** A ticked "Remove the stored token" empties and locks its field: removing and replacing at once would be two answers. */
export function removeToggled(checkbox: HTMLInputElement): void {
  const field = input(checkbox.id.replace(/-remove$/, ''));
  field.disabled = checkbox.checked;
  if (checkbox.checked) field.value = '';
}

/** The editor's source; each token only when one was typed, each removal only when ticked. */
export function readSource(): SourceForm {
  const kind = selectedKind();
  const name = input('source-name').value.trim();
  if (kind === 'demo') {
    const provider = byId<HTMLSelectElement>('demo-provider').value;
    return { kind, name, provider: provider === 'github' || provider === 'gitlab' ? provider : 'cirrus' };
  }
  const typed: Partial<Record<TokenPurpose, string>> = {};
  const removed: TokenPurpose[] = [];
  for (const [purpose, id] of TOKEN_FIELDS[kind]) {
    const token = input(id).value.trim();
    if (token !== '') typed[purpose] = token;
    else if ((document.getElementById(`${id}-remove`) as HTMLInputElement | null)?.checked) removed.push(purpose);
  }
  if (kind === 'relay') {
    const removeTokens = removed.filter((purpose): purpose is 'cirrusToken' | 'githubToken' | 'gitlabToken' => purpose !== 'token');
    return { kind, name, url: input('relay-url').value.trim(), ...typed, ...(removeTokens.length > 0 ? { removeTokens } : {}) };
  }
  return pollingSource(kind, name, typed.token, removed.length > 0);
}

function pollingSource(kind: PollingKind, name: string, token: string | undefined, removeToken: boolean): SourceForm {
  const common = {
    name,
    repositories: lines(textarea(`${kind}-repositories`).value),
    ...(token === undefined ? {} : { token }),
    ...(removeToken ? { removeTokens: ['token' as const] } : {}),
  };
  if (kind === 'cirrus') return { kind, ...common };
  const apiUrl = input(`${kind}-api-url`).value.trim();
  return { kind, ...common, ...(apiUrl === '' ? {} : { apiUrl }) };
}

/** `name`, or "name 2", "name 3"… when another source has it. */
function freeName(name: string): string {
  const lower = new Set(taken.map((other) => other.toLowerCase()));
  let candidate = name;
  for (let n = 2; lower.has(candidate.toLowerCase()); n += 1) candidate = `${name} ${n}`;
  return candidate;
}
