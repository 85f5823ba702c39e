/**
 * The one failure a failed build's notification and tray entry explain: the first failed task
 * (in the build's task order) that its CI said anything about. What is said about a task comes
 * in pieces (GitHub's failed step with the job's webhook, its annotation from the API later), so
 * pieces about the same task are merged; pieces about a task that is no longer a failure of this
 * build (a re-run replaced it, it passed after all) are dropped.
 */
import type { FailureDetail, TaskFailure } from '../failureDetail.js';
import type { TrackedTask } from './taskAttempts.js';

/**
 * The failure to show after `incoming`: `current` itself (same object) when nothing changes, so
 * callers can tell by identity.
 */
export function mergeFailure(tasks: readonly TrackedTask[], current: TaskFailure | null, incoming: TaskFailure): TaskFailure | null {
  const index = tasks.findIndex((task) => task.id === incoming.taskId);
  const known = index === -1 ? undefined : tasks[index];
  if (known !== undefined && !isFailed(known)) return current;
  // The build's failed tasks are known and this is not one of them: an earlier attempt's, or another build's.
  if (known === undefined && tasks.some(isFailed)) return current;
  if (current === null) return incoming;
  if (current.taskId === incoming.taskId) {
    const detail = mergeDetail(current.detail, incoming.detail);
    return detail === current.detail ? current : { ...incoming, detail };
  }
  const currentIndex = tasks.findIndex((task) => task.id === current.taskId);
  const earlier = index !== -1 && (currentIndex === -1 || index < currentIndex);
  return earlier ? incoming : current;
}

/** Newer pieces win where they say something; `a` itself when `b` adds nothing. */
function mergeDetail(a: FailureDetail, b: FailureDetail): FailureDetail {
  const merged: FailureDetail = {
    step: b.step ?? a.step,
    reason: b.reason ?? a.reason,
    logTail: b.logTail.length > 0 ? b.logTail : a.logTail,
    annotation: b.annotation ?? a.annotation,
  };
  const same =
    merged.step === a.step &&
    merged.reason === a.reason &&
    merged.annotation === a.annotation &&
    merged.logTail.length === a.logTail.length &&
    merged.logTail.every((line, i) => line === a.logTail[i]);
  return same ? a : merged;
}

function isFailed(task: TrackedTask): boolean {
  return task.state === 'failed' || task.state === 'errored';
}
