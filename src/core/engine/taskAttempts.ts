/**
 * A build's tasks across re-runs. A re-run is a new attempt of the same build, and the earlier
 * attempt's failures no longer describe it. Both providers re-run a task as a new task with the
 * old name (Cirrus `batchReRun`, GitHub "re-run failed jobs"), so a new task whose name is that of
 * a finished task of a finished build, or of a task from before the build left its final state,
 * takes that task's place; when a build leaves a final state, the tasks that failed in it are
 * dropped. A late event of a replaced or dropped task is ignored.
 */
import type { NormalisedEvent, TaskState } from '../event.js';
import { isFinalState } from '../event.js';
import { acceptsStatus } from './stateOrder.js';

/** The task list after an event, and whether the event's task took an earlier attempt's place. */
/** A task as the tracker keeps it: the latest attempt's state. */
export interface TrackedTask {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly state: TaskState;
  readonly url: string;
}

export interface MergedTasks {
  /** The same array as before when nothing changed, so callers can tell by identity. */
  readonly tasks: readonly TrackedTask[];
  readonly replaced: boolean;
}

export class TaskAttempts {
  /** `buildKey/taskId` of tasks a re-run replaced or dropped. */
  readonly #replaced = new Set<string>();
  /** Per build, the tasks of its earlier attempt still listed. */
  readonly #earlier = new Map<string, ReadonlySet<string>>();
  readonly #maxRemembered: number;

  /** @param maxRemembered how many replaced task ids are remembered to ignore their late events */
  constructor(maxRemembered: number) {
    this.#maxRemembered = maxRemembered;
  }

  /** True when the task was replaced or dropped by a re-run: its events say nothing about the build now. */
  isReplaced(buildKey: string, taskId: string): boolean {
    return this.#replaced.has(`${buildKey}/${taskId}`);
  }

  /** The build left a final state: the failed tasks go; the others are the earlier attempt's until replaced. */
  startAttempt(buildKey: string, tasks: readonly TrackedTask[]): readonly TrackedTask[] {
    for (const task of tasks.filter(isFailure)) this.#forget(buildKey, task.id);
    const kept = tasks.filter((task) => !isFailure(task));
    this.#earlier.set(buildKey, new Set(kept.map((task) => task.id)));
    return kept;
  }

  /**
   * `tasks` with `task` folded in. A task not seen before replaces a finished one of the same name
   * when the build is finished (a re-run's first task event still carries the finished build) or
   * when that one belongs to the earlier attempt.
   */
  merge(buildKey: string, tasks: readonly TrackedTask[], task: NonNullable<NormalisedEvent['task']>, buildFinished: boolean): MergedTasks {
    const next: TrackedTask = { id: task.id, name: task.name, status: task.status, state: task.state, url: task.url };
    const index = tasks.findIndex((known) => known.id === task.id);
    if (index === -1) {
      const earlier = this.#earlier.get(buildKey);
      const replaced = tasks.findIndex((known) => known.name === task.name && isFinalState(known.state) && (buildFinished || earlier?.has(known.id) === true));
      if (replaced === -1) return { tasks: [...tasks, next], replaced: false };
      this.#forget(buildKey, tasks[replaced]!.id);
      return { tasks: tasks.map((existing, i) => (i === replaced ? next : existing)), replaced: true };
    }
    const known = tasks[index]!;
    if (!acceptsStatus(known, task)) return { tasks, replaced: false };
    if (known.state === next.state && known.status === next.status && known.name === next.name) return { tasks, replaced: false };
    return { tasks: tasks.map((existing, i) => (i === index ? next : existing)), replaced: false };
  }

  /** The tracker forgot the build. */
  forgetBuild(buildKey: string): void {
    this.#earlier.delete(buildKey);
  }

  #forget(buildKey: string, taskId: string): void {
    this.#replaced.add(`${buildKey}/${taskId}`);
    if (this.#replaced.size > this.#maxRemembered) this.#replaced.delete(this.#replaced.values().next().value!);
    const earlier = this.#earlier.get(buildKey);
    if (earlier?.has(taskId)) this.#earlier.set(buildKey, new Set([...earlier].filter((id) => id !== taskId)));
  }
}

function isFailure(task: TrackedTask): boolean {
  return task.state === 'failed' || task.state === 'errored' || task.state === 'aborted';
}
