/** Cirrus statuses (FACTS.md, "Statuses") and how they map onto the normalised states. */
import { z } from 'zod';
import type { BuildState, TaskState } from '../../core/event.js';

export const cirrusBuildStatusSchema = z.enum([
  'CREATED', 'NEEDS_APPROVAL', 'TRIGGERED', 'EXECUTING', 'FAILED', 'COMPLETED', 'ABORTED', 'ERRORED',
]);
export type CirrusBuildStatus = z.infer<typeof cirrusBuildStatusSchema>;

export const cirrusTaskStatusSchema = z.enum([
  'CREATED', 'TRIGGERED', 'SCHEDULED', 'EXECUTING', 'ABORTED', 'FAILED', 'COMPLETED', 'SKIPPED', 'PAUSED',
]);
export type CirrusTaskStatus = z.infer<typeof cirrusTaskStatusSchema>;

const BUILD_STATES: Record<CirrusBuildStatus, BuildState> = {
  CREATED: 'queued',
  NEEDS_APPROVAL: 'needs_approval',
  // TRIGGERED: tasks are handed to the scheduler but none runs yet.
  TRIGGERED: 'queued',
  EXECUTING: 'running',
  FAILED: 'failed',
  COMPLETED: 'passed',
  ABORTED: 'aborted',
  ERRORED: 'errored',
};

const TASK_STATES: Record<CirrusTaskStatus, TaskState> = {
  CREATED: 'queued',
  TRIGGERED: 'queued',
  SCHEDULED: 'queued',
  EXECUTING: 'running',
  // A paused task holds its machine for someone to debug it: still alive, so running.
  PAUSED: 'running',
  ABORTED: 'aborted',
  FAILED: 'failed',
  COMPLETED: 'passed',
  SKIPPED: 'skipped',
};

export function cirrusBuildState(status: CirrusBuildStatus): BuildState {
  return BUILD_STATES[status];
}

export function cirrusTaskState(status: CirrusTaskStatus): TaskState {
  return TASK_STATES[status];
}
