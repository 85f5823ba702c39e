/**
 * The tray menu as plain data, a pure function of the engine's tray model and the time: what the
 * menu says and what each item asks for (a `TrayCommand`), with no Electron in sight, so the
 * whole menu is tested as data. `menu.ts` turns it into Electron's template.
 */
import type { TrayBuild, TrayModel } from '../../core/engine/trayModel.js';
import { rerunLabel } from '../../core/engine/words.js';
import { ACKNOWLEDGE_LABEL, WITHDRAW_LABEL } from '../../core/engine/notificationContent.js';
import { displayLine } from '../../core/text/displayText.js';
import { connectionLines, placeLine, STATE_MARKS, STATE_WORDS } from '../../core/engine/trayText.js';

/** What a menu item asks the app to do. */
export type TrayCommand =
  | { readonly kind: 'open' | 'approve' | 'rerun' | 'acknowledge' | 'withdraw'; readonly buildKey: string }
  | { readonly kind: 'mute' | 'unmute'; readonly pattern: string }
  | { readonly kind: 'pause'; readonly until: number }
  | { readonly kind: 'resume' | 'settings' | 'quit' };

export type MenuEntry =
  | { readonly type: 'separator' }
  | { readonly type: 'label'; readonly label: string }
  | { readonly type: 'action'; readonly label: string; readonly command: TrayCommand; readonly accelerator?: string }
  | { readonly type: 'checkbox'; readonly label: string; readonly checked: boolean; readonly command: TrayCommand }
  | { readonly type: 'submenu'; readonly label: string; readonly items: readonly MenuEntry[] };

export interface TrayMenuOptions {
  readonly now: number;
  /** A clock time for people, e.g. "14:30"; the caller picks the locale and time zone. */
  readonly formatTime: (epochMs: number) => string;
  /** Next local 08:00 after `now`, for "Pause until tomorrow". */
  readonly tomorrowMorning: number;
  /** Whether the shell has a settings window for "Settings…" to open. Default true; `watch --tray` has none. */
  readonly settingsWindow?: boolean;
}

const MAX_LABEL = 72;
const HOUR = 3_600_000;

/** The whole tray menu for a model. */
export function trayMenu(model: TrayModel, options: TrayMenuOptions): MenuEntry[] {
  const waiting = model.recentBuilds.filter((build) => build.state === 'needs_approval');
  const failed = model.recentBuilds.filter((build) => build.rerunnable || isFailure(build));
  return [
    { type: 'label', label: model.headline },
    ...connectionLines(model.connections, options.now).map((label): MenuEntry => ({ type: 'label', label })),
    { type: 'separator' },
    ...recentBuilds(model.recentBuilds),
    ...section('Waiting for approval', waiting.map((build) => approvalEntry(build, distinctPlace(build, waiting)))),
    ...section('Failed', failed.flatMap((build) => failedEntries(build, distinctPlace(build, failed)))),
    { type: 'separator' },
    repositoriesSubmenu(model),
    ...pauseEntries(model, options),
    { type: 'separator' },
    ...(options.settingsWindow === false ? [] : [{ type: 'action', label: 'Settings…', command: { kind: 'settings' }, accelerator: 'CommandOrControl+,' } as const]),
    { type: 'action', label: 'Quit buildbell', command: { kind: 'quit' }, accelerator: 'CommandOrControl+Q' },
  ];
}

/** The tooltip: the app, the state in words and the connection when it is down; cleaned, as it goes to the OS. */
export function trayTooltip(model: TrayModel): string {
  const sources = model.connections.map((connection) => connection.source).join(', ');
  return displayLine(model.state === 'offline' || sources === '' ? `buildbell: ${model.headline}` : `buildbell: ${model.headline} (${sources})`);
}

/** The build's line: state mark and word, repository, branch and title. */
export function buildLabel(build: TrayBuild): string {
  const title = build.title ? ` — ${build.title}` : '';
  // displayLine cuts by characters, never inside a surrogate pair (half an emoji is not valid UTF-8).
  return displayLine(`${STATE_MARKS[build.state]} ${place(build)} ${STATE_WORDS[build.state]}${title}`, MAX_LABEL);
}

function recentBuilds(builds: readonly TrayBuild[]): MenuEntry[] {
  if (builds.length === 0) return [{ type: 'label', label: 'No builds yet' }];
  return [
    { type: 'label', label: 'Recent builds' },
    ...builds.flatMap((build) => [action(buildLabel(build), { kind: 'open', buildKey: build.key }), ...onItEntries(build), ...failureEntries(build)]),
  ];
}

/**
 * Under a failed build, why: its failed task and step, and the log's last line, as labels (a
 * menu has no room for more; the notification and the window show the rest).
 */
function failureEntries(build: TrayBuild): MenuEntry[] {
  const lines = build.failureDetail ?? [];
  if (lines.length === 0) return [];
  const last = lines.length > 1 ? lines.at(-1) : undefined;
  return [lines[0]!, ...(last === undefined ? [] : [last])].map((line) => ({ type: 'label', label: displayLine(`↳ ${line}`, MAX_LABEL) }));
}

/** Under a build, who is on it ("Ana is on it"): first, as it is what a teammate looks for. */
function onItEntries(build: TrayBuild): MenuEntry[] {
  return build.onIt ? [{ type: 'label', label: displayLine(`↳ ${build.onIt.line}`, MAX_LABEL) }] : [];
}

/** A failed build's re-run (with a token that can) and "I'm on it", or its withdrawal once the user is on it. */
function failedEntries(build: TrayBuild, where: string): MenuEntry[] {
  const rerun = build.rerunnable ? [action(`${rerunLabel(build.provider)}: ${where}`, { kind: 'rerun', buildKey: build.key })] : [];
  if (build.onIt?.mine) return [...rerun, action(`${WITHDRAW_LABEL}: ${where}`, { kind: 'withdraw', buildKey: build.key })];
  return [...rerun, ...(isFailure(build) ? [action(`${ACKNOWLEDGE_LABEL}: ${where}`, { kind: 'acknowledge', buildKey: build.key })] : [])];
}

function isFailure(build: TrayBuild): boolean {
  return build.state === 'failed' || build.state === 'errored';
}

function approvalEntry(build: TrayBuild, where: string): MenuEntry {
  if (build.approvable) return action(`Approve ${where}`, { kind: 'approve', buildKey: build.key });
  // Without a token with WRITE the app cannot approve; the page can, so offer that instead.
  return action(`Open ${where} to approve it`, { kind: 'open', buildKey: build.key });
}

function repositoriesSubmenu(model: TrayModel): MenuEntry {
  const items: MenuEntry[] =
    model.repositories.length === 0
      ? [{ type: 'label', label: 'No repositories seen yet' }]
      : model.repositories.map((repository) => ({
          type: 'checkbox',
          // The slug and pattern stay raw in the command (a mute must match what events carry); only the label is cleaned.
          label: displayLine(
            repository.mutedBy !== null && repository.mutedBy !== repository.slug ? `${repository.slug} (muted by ${repository.mutedBy})` : repository.slug,
            MAX_LABEL,
          ),
          checked: repository.muted,
          command: repository.muted ? { kind: 'unmute', pattern: repository.mutedBy! } : { kind: 'mute', pattern: repository.slug },
        }));
  return { type: 'submenu', label: 'Mute repositories', items };
}

function pauseEntries(model: TrayModel, options: TrayMenuOptions): MenuEntry[] {
  if (model.pausedUntil !== null) {
    return [
      { type: 'label', label: `Notifications paused until ${options.formatTime(model.pausedUntil)}` },
      action('Resume notifications', { kind: 'resume' }),
    ];
  }
  return [
    action('Pause notifications for 1 hour', { kind: 'pause', until: options.now + HOUR }),
    action('Pause notifications until tomorrow', { kind: 'pause', until: options.tomorrowMorning }),
  ];
}

/** The next 08:00 local time after `now` (tomorrow's, unless it is before 08:00 today). */
export function nextMorning(now: number, hour = 8): number {
  const date = new Date(now);
  date.setHours(hour, 0, 0, 0);
  if (date.getTime() <= now) date.setDate(date.getDate() + 1);
  return date.getTime();
}

function section(title: string, entries: MenuEntry[]): MenuEntry[] {
  return entries.length === 0 ? [] : [{ type: 'separator' }, { type: 'label', label: title }, ...entries];
}

function action(label: string, command: TrayCommand): MenuEntry {
  return { type: 'action', label, command };
}

/** The place, with the build's id when another build of the list has the same place: two items must not read alike. */
function distinctPlace(build: TrayBuild, list: readonly TrayBuild[]): string {
  const here = place(build);
  return list.some((other) => other !== build && place(other) === here) ? `${here} (${build.id})` : here;
}

function place(build: TrayBuild): string {
  return placeLine(build.repository, build.branch);
}
