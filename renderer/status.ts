/** The window's header (the tray's state and connection) and its list of recent builds. */
import type { AppState } from '../src/core/ipc/contract.js';
import type { TrayBuild } from '../src/core/engine/trayModel.js';
import { api } from './api.js';
import { byId, element } from './dom.js';

const STATE_WORDS: Readonly<Record<TrayBuild['state'], string>> = {
  failed: 'failed', errored: 'errored', passed: 'passed', running: 'running', queued: 'queued', needs_approval: 'needs approval', aborted: 'aborted',
};

export function renderStatus(state: AppState): void {
  const { tray } = state;
  byId('headline').textContent = tray.headline;
  byId('status-dot').dataset.state = tray.state;
  // One line per source, as the tray menu says it (the main process writes them).
  byId('connection').replaceChildren(...state.connectionLines.map((line) => element('div', { class: 'connection-line' }, line)));
  const problem = byId('problem');
  problem.hidden = state.problem === null;
  problem.textContent = state.problem ?? '';
  renderBuilds(tray.recentBuilds);
}

function renderBuilds(builds: readonly TrayBuild[]): void {
  const list = byId<HTMLUListElement>('build-list');
  list.replaceChildren(...builds.map(buildItem));
  byId('no-builds').hidden = builds.length > 0;
}

function buildItem(build: TrayBuild): HTMLLIElement {
  const place = build.branch ? `${build.repository} · ${build.branch}` : build.repository;
  const item = element('li');
  const text = element('div', { class: 'build-text' });
  text.append(element('div', { class: 'build-place' }, place), element('div', { class: 'build-title' }, build.title ?? `build ${build.id}`));
  // "Ana is on it": the line names people by their token labels, so a text node like every other.
  if (build.onIt) text.append(element('div', { class: 'build-on-it', 'data-mine': String(build.onIt.mine) }, build.onIt.line));
  // Why it failed: the task and step, then log lines. A CI's and a build's own text, so text nodes only.
  const failure = build.failureDetail ?? [];
  if (failure.length > 0) {
    const lines = element('div', { class: 'build-failure' });
    lines.append(...failure.map((line) => element('div', { class: line.startsWith('> ') ? 'build-log' : 'build-step' }, line)));
    text.append(lines);
  }
  const open = element('button', { type: 'button', 'aria-label': `Open ${place} (${STATE_WORDS[build.state]}) in the browser` }, 'Open');
  open.addEventListener('click', () => void api.openBuild({ buildKey: build.key }));
  item.append(element('span', { class: 'badge', 'data-state': build.state }, STATE_WORDS[build.state]), text, open);
  return item;
}
