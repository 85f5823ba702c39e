/**
 * What the tray shows, as plain data: the overall state (the icon), recent builds (the menu),
 * recent events, the repositories seen with their mute state, and the connection. Electron's
 * tray and the terminal's status line both render this; neither decides anything.
 *
 * Every text in the model a person reads is cleaned here with `displayLine` (no control, escape
 * or bidi character), so the tray, the window and the terminal all get clean text. Identities
 * stay exactly as received, because commands carry them back: a build's `key` and `url`, and a
 * repository's `slug` and `mutedBy` (a mute must match the slug events really carry).
 */
import type { BuildState, Provider } from '../event.js';
import type { BranchOutcome, TrackedBuild } from './buildTracker.js';
import type { SourceConnection } from './sourceConnection.js';
import { buildVisibility, mutingPattern, type VisibilityRules } from './filters.js';
import { displayLine } from '../text/displayText.js';
import { bestUrl, failedTasks, isRerunnable, titleLine } from './notificationContent.js';
import { failureLines } from './failureLines.js';
import type { OnItPerson } from './acknowledgementBook.js';
import { onItLine } from './trayText.js';

/**
 * The icon's state, in order of precedence: without a connection nothing else is known, and a
 * pause is the user's own choice, so both come before what the builds say. Then the worst news:
 * a branch whose last finished build failed, then a build waiting for approval, then activity.
 */
export type OverallState = 'offline' | 'paused' | 'failing' | 'needs_approval' | 'running' | 'passing' | 'idle';

export type { SourceConnection } from './sourceConnection.js';

export interface TrayEvent {
  readonly at: number;
  /** One line, e.g. "acme/web · main failed" or "Could not approve acme/web #42: …". */
  readonly text: string;
  /** `build` for a build's transition, `action` for what the user did, `error` for what went wrong. */
  readonly kind: 'build' | 'action' | 'error';
  readonly buildKey: string | null;
  readonly url: string | null;
}

export interface TrayBuild {
  /** The build key (`provider:id`), as received; tray actions refer to builds by it. */
  readonly key: string;
  readonly provider: Provider;
  /** The provider's build id, cleaned for display (`key` is the identity). */
  readonly id: string;
  /** `owner/name`, cleaned for display. */
  readonly repository: string;
  /** Cleaned for display; null when the build has none. */
  readonly branch: string | null;
  /** The first line of the commit title, cleaned for display; null when there is none. */
  readonly title: string | null;
  readonly state: BuildState;
  readonly url: string;
  /** The one failed task's page when exactly one failed, else null ("open task"). */
  readonly failedTaskUrl: string | null;
  /** Names of the failed tasks, cleaned for display. */
  readonly failedTasks: readonly string[];
  /**
   * Why it failed, where its CI said: the failed task and step or command, the first annotation
   * and the last log lines, each a cleaned line of plain text (show as text, never markup).
   * Empty when nothing is known. Optional for models made before it existed.
   */
  readonly failureDetail?: readonly string[];
  /** Who is on it ("I'm on it", issue #17); null when nobody is. Optional for models made before it existed. */
  readonly onIt?: TrayOnIt | null;
  /** Approve is offered (needs approval, and write actions are configured). */
  readonly approvable: boolean;
  /** Re-run failed tasks is offered (failed, and write actions are configured). */
  readonly rerunnable: boolean;
  readonly updatedAt: number;
}

/** Who is on a build, as every shell shows it. */
export interface TrayOnIt {
  /** "Ana is on it", "You and Ana are on it", "Ana and 2 others are on it": cleaned (trayText.ts). */
  readonly line: string;
  /** The others' names (token labels), cleaned, in the order they said it; the user is not among them. */
  readonly names: readonly string[];
  /** The user is on it: the tray offers "I'm not on it any more" instead of "I'm on it". */
  readonly mine: boolean;
}

export interface TrayRepository {
  /**
   * `owner/name` exactly as events carry it: what a mute from the menu adds, so it must not be
   * changed. Shells clean it where they show it (`displayLine`).
   */
  readonly slug: string;
  readonly muted: boolean;
  /** The muted pattern that matches, so "unmute" can remove it; null when not muted. */
  readonly mutedBy: string | null;
}

export interface TrayModel {
  readonly state: OverallState;
  /** A short line for a tooltip or status bar, e.g. "2 branches failing". */
  readonly headline: string;
  /** Every source's link, in the order of the settings. The icon is offline only when all are down. */
  readonly connections: readonly SourceConnection[];
  readonly pausedUntil: number | null;
  readonly quietHours: boolean;
  /** Newest first. */
  readonly recentEvents: readonly TrayEvent[];
  /** Newest first. */
  readonly recentBuilds: readonly TrayBuild[];
  /** Sorted by slug, muted ones included so they can be unmuted. */
  readonly repositories: readonly TrayRepository[];
}

export interface TrayInput {
  /** Newest first, as `BuildTracker.builds()` gives them. */
  readonly builds: readonly TrackedBuild[];
  readonly branchOutcomes: readonly BranchOutcome[];
  /** Newest first. */
  readonly events: readonly TrayEvent[];
  readonly repositories: readonly string[];
  readonly visibility: VisibilityRules;
  readonly connections: readonly SourceConnection[];
  /** Only a pause still in force (later than now); the caller checks. */
  readonly pausedUntil: number | null;
  readonly quietHours: boolean;
  /** Whether approve and re-run can be offered for this build (a source holds a token for its CI). */
  readonly canAct: (build: TrackedBuild) => boolean;
  /** Who is on a build, the user first. Default: nobody on any. */
  readonly onIt?: (buildKey: string) => readonly OnItPerson[];
  /** How many builds and events to list. Defaults 10 and 10. */
  readonly limits?: { readonly builds?: number; readonly events?: number };
}

export function buildTrayModel(input: TrayInput): TrayModel {
  const visible = <T extends { slug: string; branch: string | null; initiator: string | null }>(item: T) =>
    buildVisibility(item, input.visibility) === 'visible';
  const builds = input.builds.filter(visible);
  const failing = input.branchOutcomes.filter(visible).filter((o) => o.state === 'failed' || o.state === 'errored');
  const passing = input.branchOutcomes.filter(visible).filter((o) => o.state === 'passed');
  const waiting = builds.filter((build) => build.state === 'needs_approval');
  const active = builds.filter((build) => build.state === 'running' || build.state === 'queued');

  // The source and the reason may quote a server's error message.
  const connections = input.connections.map(cleanConnection);
  const down = connections.filter((connection) => !connection.connected);
  let state: OverallState;
  let headline: string;
  if (connections.length === 0) {
    [state, headline] = ['offline', 'Offline: no source configured'];
  } else if (down.length === connections.length) {
    state = 'offline';
    const only = connections.length === 1 ? connections[0]! : undefined;
    headline = only ? (only.reason ? `Offline: ${only.reason}` : 'Offline') : 'Offline: every source is down';
  } else if (input.pausedUntil !== null) {
    [state, headline] = ['paused', 'Notifications paused'];
  } else if (failing.length > 0) {
    [state, headline] = ['failing', count(failing.length, 'branch', 'branches', 'failing')];
  } else if (waiting.length > 0) {
    [state, headline] = ['needs_approval', count(waiting.length, 'build needs', 'builds need', 'approval')];
  } else if (active.length > 0) {
    [state, headline] = ['running', count(active.length, 'build', 'builds', 'running')];
  } else if (passing.length > 0) {
    [state, headline] = ['passing', 'All passing'];
  } else {
    [state, headline] = ['idle', 'No builds yet'];
  }
  // Some sources down and others up: the builds still speak, with a word that not all is heard.
  if (state !== 'offline' && down.length > 0) headline = `${headline} · ${down.length === 1 ? `${down[0]!.source} down` : `${down.length} sources down`}`;

  return {
    state,
    headline,
    connections,
    pausedUntil: input.pausedUntil,
    quietHours: input.quietHours,
    recentEvents: input.events.slice(0, input.limits?.events ?? 10).map((event) => ({ ...event, text: displayLine(event.text, MAX_EVENT) })),
    recentBuilds: builds.slice(0, input.limits?.builds ?? 10).map((build) => toTrayBuild(build, input.canAct(build), input.onIt?.(build.key) ?? [])),
    repositories: [...new Set(input.repositories)].sort().map((slug) => {
      const pattern = mutingPattern(slug, input.visibility.mutedRepositories);
      return { slug, muted: pattern !== undefined, mutedBy: pattern ?? null };
    }),
  };
}

function toTrayBuild(build: TrackedBuild, actionsAvailable: boolean, people: readonly OnItPerson[]): TrayBuild {
  const failed = failedTasks(build);
  const url = bestUrl(build);
  return {
    key: build.key,
    provider: build.provider,
    id: displayLine(build.id, MAX_PART),
    repository: displayLine(build.slug, MAX_PART),
    branch: build.branch === null ? null : displayLine(build.branch, MAX_PART) || null,
    title: titleLine(build.title, MAX_TITLE),
    state: build.state,
    url: build.url,
    failedTaskUrl: url === build.url ? null : url,
    failedTasks: failed.map((task) => displayLine(task.name, MAX_PART)),
    failureDetail: failureLines(build, { logLines: 5, lineLength: MAX_TITLE }),
    onIt: trayOnIt(people),
    approvable: actionsAvailable && build.state === 'needs_approval',
    rerunnable: actionsAvailable && isRerunnable(build),
    updatedAt: build.updatedAt,
  };
}

function trayOnIt(people: readonly OnItPerson[]): TrayOnIt | null {
  const line = onItLine(people);
  if (line === null) return null;
  const others = people.filter((person) => !person.own).map((person) => displayLine(person.name, MAX_PART) || 'someone');
  return { line, names: others, mine: people.some((person) => person.own) };
}

const MAX_PART = 100;
const MAX_TITLE = 200;
const MAX_EVENT = 300;

function cleanConnection(connection: SourceConnection): SourceConnection {
  return {
    ...connection,
    source: displayLine(connection.source, MAX_PART),
    reason: connection.reason === null ? null : displayLine(connection.reason, MAX_EVENT) || null,
  };
}

function count(n: number, one: string, many: string, rest: string): string {
  return `${n} ${n === 1 ? one : many} ${rest}`;
}
