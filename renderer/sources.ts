/**
 * The list of sources: one row per source with its name, kind, where it reads from and its live
 * connection, and Edit and Remove. Rows are updated in place, keyed by name, because main pushes a
 * new state on every build: rebuilding the list would take the keyboard focus away from a button.
 * Remove asks first, in the row itself, and says that the source's stored tokens go with it.
 */
import type { SourceView } from '../src/core/ipc/contract.js';
import { byId, element } from './dom.js';

export const KIND_WORDS: Readonly<Record<SourceView['kind'], string>> = {
  relay: 'buildbell relay',
  github: 'GitHub Actions API',
  gitlab: 'GitLab CI API',
  cirrus: 'Cirrus CI API',
  demo: 'Demo',
};

const PROVIDER_WORDS = { cirrus: 'Cirrus CI', github: 'GitHub Actions', gitlab: 'GitLab CI' } as const;

export interface SourceListActions {
  edit(source: SourceView): void;
  remove(source: SourceView): void;
}

interface Row {
  readonly item: HTMLLIElement;
  source: SourceView;
}

const rows = new Map<string, Row>();

/** Where a source reads from, in a few words. */
export function whereWords(source: SourceView): string {
  switch (source.kind) {
    case 'demo':
      return `built-in simulator of ${PROVIDER_WORDS[source.provider]}`;
    case 'relay':
      return URL.canParse(source.url) ? new URL(source.url).host : source.url;
    default: {
      const shown = source.repositories.slice(0, 3).join(', ');
      const more = source.repositories.length > 3 ? ` and ${source.repositories.length - 3} more` : '';
      const host = source.apiUrl !== null && URL.canParse(source.apiUrl) ? ` on ${new URL(source.apiUrl).host}` : '';
      return `${shown}${more}${host}`;
    }
  }
}

export function renderSources(sources: readonly SourceView[], actions: SourceListActions): void {
  const list = byId<HTMLUListElement>('source-list');
  const names = new Set(sources.map((source) => source.name));
  for (const [name, row] of rows) {
    if (!names.has(name)) {
      row.item.remove();
      rows.delete(name);
    }
  }
  sources.forEach((source, index) => {
    let row = rows.get(source.name);
    if (row === undefined) {
      row = { item: createRow(source.name, actions), source };
      rows.set(source.name, row);
    }
    row.source = source;
    updateRow(row);
    // Moved only when out of place: moving a node that holds the focus drops it.
    if (list.children[index] !== row.item) list.insertBefore(row.item, list.children[index] ?? null);
  });
  byId('no-sources').hidden = sources.length > 0;
}

/** The Edit button of a source's row, to give the focus back to after its editor closes. */
export function editButtonOf(name: string): HTMLButtonElement | null {
  return rows.get(name)?.item.querySelector<HTMLButtonElement>('button[data-action="edit"]') ?? null;
}

function createRow(name: string, actions: SourceListActions): HTMLLIElement {
  const item = element('li', { class: 'source' });
  const text = element('div', { class: 'source-text' });
  const head = element('div', { class: 'source-head' });
  head.append(element('strong', { class: 'source-name' }, name), element('span', { class: 'source-kind' }));
  text.append(head, element('div', { class: 'source-where' }), element('div', { class: 'source-status' }));

  const buttons = element('div', { class: 'source-actions' });
  const edit = element('button', { type: 'button', 'data-action': 'edit', 'aria-label': `Edit ${name}` }, 'Edit');
  const remove = element('button', { type: 'button', 'data-action': 'remove', 'aria-label': `Remove ${name}` }, 'Remove');
  buttons.append(edit, remove);

  const confirm = element('div', { class: 'source-confirm', role: 'group', 'aria-label': `Remove ${name}?` });
  const question = element('span', {}, `Remove “${name}” and its stored tokens?`);
  const yes = element('button', { type: 'button', class: 'danger', 'data-action': 'confirm-remove' }, 'Remove');
  const no = element('button', { type: 'button', 'data-action': 'keep' }, 'Keep');
  confirm.append(question, yes, no);
  confirm.hidden = true;

  const row = () => rows.get(name)!;
  const asking = (ask: boolean) => {
    buttons.hidden = ask;
    confirm.hidden = !ask;
    (ask ? no : remove).focus();
  };
  edit.addEventListener('click', () => actions.edit(row().source));
  remove.addEventListener('click', () => asking(true));
  no.addEventListener('click', () => asking(false));
  confirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') asking(false);
  });
  yes.addEventListener('click', () => actions.remove(row().source));

  item.append(element('span', { class: 'dot', 'aria-hidden': 'true' }), text, buttons, confirm);
  return item;
}

function updateRow({ item, source }: Row): void {
  item.dataset.name = source.name;
  item.querySelector<HTMLElement>('.dot')!.dataset.state = source.status.state;
  item.querySelector('.source-kind')!.textContent = KIND_WORDS[source.kind];
  item.querySelector('.source-where')!.textContent = whereWords(source);
  item.querySelector('.source-status')!.textContent = source.status.line;
}
