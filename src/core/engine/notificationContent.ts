/**
 * What a build's notification says. One notification per build: every intent for a build has
 * the same key, so a task finishing later or the build moving on replaces the banner instead of
 * adding one.
 *
 * Every text taken from a payload (repository, branch, title, initiator, task names) is cleaned
 * here with `displayLine`, where the intent is built, so every shell gets clean text, and a
 * newline in a branch or a name cannot forge a line of the body.
 */
import type { NotificationAction, NotificationIntent } from '../ports.js';
import { displayLine } from '../text/displayText.js';
import type { TrackedBuild, TrackedTask } from './buildTracker.js';
import { failureLines, NOTIFICATION_FAILURE_LINES } from './failureLines.js';
import { onItLine, placeLine, type OnItName } from './trayText.js';
import type { Transition } from './transition.js';
import { rerunLabel, wordsOf } from './words.js';

/** The notification key of a build: one per build. */
export function buildNotificationKey(buildKey: string): string {
  return `build:${buildKey}`;
}

/** The build key inside a build notification key, or undefined for other keys (summaries). */
export function buildKeyOfNotification(notificationKey: string): string | undefined {
  return notificationKey.startsWith('build:') ? notificationKey.slice('build:'.length) : undefined;
}

const HEADLINES: Readonly<Record<Transition, { readonly mark: string; readonly words: string }>> = {
  started: { mark: '▶ ', words: 'started' },
  passed: { mark: '✓ ', words: 'passed' },
  fixed: { mark: '✓ ', words: 'fixed' },
  failed: { mark: '✗ ', words: 'failed' },
  still_failing: { mark: '✗ ', words: 'still failing' },
  errored: { mark: '⚠ ', words: 'errored' },
  aborted: { mark: '■ ', words: 'aborted' },
  // No mark: a question for the user, not a verdict.
  needs_approval: { mark: '', words: 'needs approval' },
};

/** The words for a transition, e.g. "still failing"; summaries reuse them. */
export function transitionWords(transition: Transition): string {
  return HEADLINES[transition].words;
}

/** `acme/web · main`, or `acme/web` for a build without a branch; cleaned for display. */
export function buildPlace(build: Pick<TrackedBuild, 'slug' | 'branch'>): string {
  return placeLine(build.slug, build.branch);
}

/** The first line of a commit title, cleaned and cut to `maxLength`; null when nothing is left. */
export function titleLine(title: string | null, maxLength: number): string | null {
  if (title === null) return null;
  const first = title.split(/\r\n?|\n/).find((line) => line.trim() !== '') ?? '';
  return displayLine(first, maxLength) || null;
}

export function failedTasks(build: Pick<TrackedBuild, 'tasks'>): TrackedTask[] {
  return build.tasks.filter((task) => task.state === 'failed' || task.state === 'errored');
}

/** The failed task's page when exactly one task failed (its log is what the user wants), else the build's. */
export function bestUrl(build: Pick<TrackedBuild, 'tasks' | 'url'>): string {
  const failed = failedTasks(build);
  return failed.length === 1 ? failed[0]!.url : build.url;
}

export function isCritical(transition: Transition): boolean {
  return transition === 'failed' || transition === 'still_failing' || transition === 'errored';
}

export interface ContentOptions {
  /** False when no write actions are configured (no token): buttons that cannot work are left out. */
  readonly actionsAvailable: boolean;
  /**
   * Who is on the build ("I'm on it"), the user first: a line in the body, and whether the button
   * says "I'm on it" or "I'm not on it any more". Default: nobody.
   */
  readonly onIt?: readonly OnItName[];
}

/** The buttons, and the tray's items, that say "I'm on it" and take it back. */
export const ACKNOWLEDGE_LABEL = "I'm on it";
export const WITHDRAW_LABEL = "I'm not on it any more";

const MAX_TITLE = 120;
const MAX_TASK_NAMES = 3;
/** A repository or a branch in a headline; real ones are far shorter (GitHub allows 100 and 255). */
const MAX_NAME = 80;

/** The notification for a build's transition, built from everything known about it now. */
export function describeBuildNotification(
  build: TrackedBuild,
  transition: Transition,
  options: ContentOptions,
): NotificationIntent {
  const headline = HEADLINES[transition];
  const initiator = build.initiator === null ? '' : displayLine(build.initiator, MAX_NAME);
  const onIt = options.onIt ?? [];
  // Who is on it shares the initiator's line: a body keeps at most eight lines (displayIntent), and
  // the failure's last log line, the one that says why, must not be pushed out by it.
  const people = [initiator ? `by ${initiator}` : undefined, onItLine(onIt) ?? undefined].filter((part) => part !== undefined).join(' · ');
  const body = [
    titleLine(build.title, MAX_TITLE) ?? undefined,
    people || undefined,
    failedTasksLine(build),
    // Why, where the CI said: the failed step or command, its first annotation, its log's last lines.
    ...failureLines(build, NOTIFICATION_FAILURE_LINES),
  ].filter((line): line is string => line !== undefined);
  return {
    key: buildNotificationKey(build.key),
    title: `${headline.mark}${buildPlace(build)} ${headline.words}`,
    body: body.join('\n'),
    url: bestUrl(build),
    urgency: isCritical(transition) ? 'critical' : 'normal',
    actions: [...(options.actionsAvailable ? actionsFor(build, transition) : []), ...acknowledgeActions(transition, onIt)],
  };
}

/** "2 of 7 tasks failed: lint, test-arm" (GitHub and GitLab: "jobs"), or undefined when no task failed. */
export function failedTasksLine(build: Pick<TrackedBuild, 'tasks' | 'provider'>): string | undefined {
  const failed = failedTasks(build);
  if (failed.length === 0) return undefined;
  const words = wordsOf(build.provider);
  const names = failed.slice(0, MAX_TASK_NAMES).map((task) => displayLine(task.name, MAX_NAME) || `${words.task} ${displayLine(task.id, MAX_NAME)}`);
  const more = failed.length - names.length;
  const list = more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
  const noun = build.tasks.length === 1 ? words.task : words.tasks;
  return `${failed.length} of ${build.tasks.length} ${noun} failed: ${list}`;
}

/** A failure's "I'm on it", or "I'm not on it any more" once the user is: no token needed, it goes through the relay or stays here. */
function acknowledgeActions(transition: Transition, onIt: readonly OnItName[]): NotificationAction[] {
  if (!isCritical(transition)) return [];
  return onIt.some((person) => person.own) ? [{ id: 'withdraw', label: WITHDRAW_LABEL }] : [{ id: 'acknowledge', label: ACKNOWLEDGE_LABEL }];
}

function actionsFor(build: TrackedBuild, transition: Transition): NotificationAction[] {
  if (transition === 'needs_approval') return [{ id: 'approve', label: 'Approve' }];
  if (isRerunnable(build)) return [{ id: 'rerun', label: rerunLabel(build.provider) }];
  return [];
}

/**
 * A finished build with failed tasks can have them re-run. A failed build whose tasks are not
 * known yet (their events are late) is offered too: a failed build has a failed task.
 */
export function isRerunnable(build: Pick<TrackedBuild, 'state' | 'tasks'>): boolean {
  if (build.state === 'failed') return true;
  return build.state === 'errored' && failedTasks(build).length > 0;
}
