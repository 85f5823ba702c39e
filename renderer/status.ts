/** The window's header (the tray's state and connection) and its list of recent builds. */
import type { AppState } from '../src/core/ipc/contract.js';
import type { TrayBuild } from '../src/core/engine/trayModel.js';
import { api } from './api.js';
import { byId, element } from './dom.js';

const STATE_WORDS: Readonly<Record<TrayBuild['state'], string>> = {
  failed: 'failed', errored: 'errored', passed: 'passed', running: 'running', queued: 'queued', needs_approval: 'needs approval', aborted: 'aborted',
};

export function renderStatus(state: AppState, now: number): void {
  const { tray } = state;
  byId('headline').textContent = tray.headline;
  byId('status-dot').dataset.state = tray.state;
  const connection = tray.connection;
  byId('connection').textContent = connection.connected
    ? `Connected to ${connection.source}${connection.lastEventAt === null ? ' · no events yet' : ` · last event ${minutesAgo(now - connection.lastEventAt)}`}`
    : `Not connected${connection.source === 'no source' ? '' : ` to ${connection.source}`}${connection.reason ? `: ${connection.reason}` : ''}`;
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
  const open = element('button', { type: 'button', 'aria-label': `Open ${place} (${STATE_WORDS[build.state]}) in the browser` }, 'Open');
  open.addEventListener('click', () => void api.openBuild({ buildKey: build.key }));
  item.append(element('span', { class: 'badge', 'data-state': build.state }, STATE_WORDS[build.state]), text, open);
  return item;
}

function minutesAgo(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}
