/**
 * A failed build's failure in a few short lines of plain text, for the notification body, the
 * tray entry and the window: which task, which step or command, the CI's reason, the first
 * annotation and the last lines of the log. Every line is cleaned here with `displayLine` (no
 * control, escape or bidi character, one line each, cut short); markup escaping is each sink's
 * own (freedesktop bodies, libnotify), since only the sink knows whether it reads markup.
 */
import type { Provider } from '../event.js';
import type { TaskFailure } from '../failureDetail.js';
import { displayLine, displayLines } from '../text/displayText.js';
import type { TrackedBuild } from './buildTracker.js';

/** What each CI calls the part of a task that failed. GitLab jobs have no steps it reports. */
const STEP_WORD: Readonly<Record<Provider, string>> = { cirrus: 'command', github: 'step', gitlab: 'step' };

export interface FailureLineOptions {
  /** Log lines shown at most (the last ones). */
  readonly logLines: number;
  /** Characters per line at most. */
  readonly lineLength: number;
}

/** Three log lines of up to 120 characters: what a notification has room for. */
export const NOTIFICATION_FAILURE_LINES: FailureLineOptions = { logLines: 3, lineLength: 120 };

/** The lines explaining a failed or errored build's failure; none for other builds or when nothing is known. */
export function failureLines(build: Pick<TrackedBuild, 'provider' | 'state' | 'failure'>, options: FailureLineOptions): string[] {
  const failure = build.failure ?? null;
  if (failure === null || (build.state !== 'failed' && build.state !== 'errored')) return [];
  const max = options.lineLength;
  const lines = [headline(build.provider, failure, max)];
  const { annotation } = failure.detail;
  if (annotation !== null) {
    const path = annotation.path === null ? '' : `${annotation.path}${annotation.line === null ? '' : `:${annotation.line}`}: `;
    // An annotation's message may run to several lines; its first says what is wrong.
    const first = annotation.message.split(/\r\n|\r|\n/).find((line) => displayLine(line) !== '') ?? '';
    const message = displayLine(first, max);
    lines.push(displayLine(`${path}${message}`, max));
  }
  const tail = options.logLines > 0 ? displayLines(failure.detail.logTail.join('\n'), options.logLines, Math.max(1, max - 2)) : [];
  lines.push(...tail.map((line) => `> ${line}`));
  return lines.filter((line) => line !== '');
}

/** "Unit tests: command “test” failed", "lint: step “Run eslint” failed", "build: script failure". */
function headline(provider: Provider, failure: TaskFailure, max: number): string {
  const task = displayLine(failure.taskName, 60) || failure.taskId;
  const step = failure.detail.step === null ? '' : displayLine(failure.detail.step, 80);
  const reason = failure.detail.reason === null ? '' : displayLine(failure.detail.reason.replace(/_/g, ' '), 80);
  if (step) return displayLine(`${task}: ${STEP_WORD[provider]} “${step}” failed${reason ? ` (${reason})` : ''}`, max);
  if (reason) return displayLine(`${task}: ${reason}`, max);
  return displayLine(`${task} failed`, max);
}
