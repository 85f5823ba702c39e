/**
 * A simulated Cirrus task's commands, as `Task.commands` and `Task.firstFailedCommand` answer:
 * the clone, then the task's own script, whose status follows the task's and whose log ends as
 * `failureStories.ts` tells for a failure. Derived from the task on each request, so the world
 * keeps no logs and the story draws nothing more from its PRNG.
 */
import { simFailureFor } from './failureStories.js';
import type { SimTask } from './world.js';
import { taskDurationSeconds } from './world.js';

type CommandStatus = 'UNDEFINED' | 'SUCCESS' | 'FAILURE' | 'EXECUTING' | 'SKIPPED' | 'ABORTED';

export interface SimTaskCommand {
  readonly name: string;
  readonly type: 'CLONE' | 'EXECUTE_SCRIPT';
  readonly status: CommandStatus;
  readonly durationInSeconds: number;
  readonly logsTail: readonly string[];
}

const SCRIPT_STATUS: Readonly<Record<SimTask['status'], CommandStatus>> = {
  CREATED: 'UNDEFINED',
  TRIGGERED: 'UNDEFINED',
  SCHEDULED: 'UNDEFINED',
  PAUSED: 'UNDEFINED',
  EXECUTING: 'EXECUTING',
  COMPLETED: 'SUCCESS',
  FAILED: 'FAILURE',
  ABORTED: 'ABORTED',
  SKIPPED: 'SKIPPED',
};

export function simTaskCommands(task: SimTask, now: number): SimTaskCommand[] {
  const story = simFailureFor(task.nameAlias);
  const started = task.executingTimestamp !== null;
  const status = SCRIPT_STATUS[task.status];
  const seconds = taskDurationSeconds(task, now);
  const logsTail =
    status === 'FAILURE' ? story.logTail : status === 'SUCCESS' ? [`> ${story.command}`, 'done.'] : [];
  return [
    { name: 'clone', type: 'CLONE', status: started ? 'SUCCESS' : 'UNDEFINED', durationInSeconds: started ? 1 : 0, logsTail: started ? ['Cloned.'] : [] },
    { name: story.command, type: 'EXECUTE_SCRIPT', status, durationInSeconds: Math.max(0, seconds - 1), logsTail },
  ];
}
