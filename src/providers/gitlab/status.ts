/**
 * GitLab's pipeline and job statuses (../shared/gitlab/FACTS.md, "Statuses") and how they map
 * onto the normalised states. Pipelines and jobs share one vocabulary.
 */
import { z } from 'zod';
import type { BuildState, TaskState } from '../../core/event.js';

export const gitlabStatusSchema = z.enum([
  'created', 'waiting_for_resource', 'preparing', 'pending', 'scheduled', 'running', 'waiting_for_callback',
  'success', 'failed', 'canceled', 'canceling', 'skipped', 'manual',
]);
export type GitlabStatus = z.infer<typeof gitlabStatusSchema>;

const STATES: Record<GitlabStatus, TaskState> = {
  created: 'queued',
  waiting_for_resource: 'queued',
  preparing: 'queued',
  pending: 'queued',
  // A delayed job (`when: delayed`) waits for its time, not for a person.
  scheduled: 'queued',
  running: 'running',
  // An external system was asked and its answer is awaited: the job is still at work.
  waiting_for_callback: 'running',
  success: 'passed',
  failed: 'failed',
  canceled: 'aborted',
  canceling: 'aborted',
  skipped: 'skipped',
  // A manual job (or a pipeline blocked on one) waits for someone to start it.
  manual: 'needs_approval',
};

/** The normalised state of a job. A failed job allowed to fail is shown as skipped: it does not fail its pipeline. */
export function gitlabJobState(status: GitlabStatus, allowFailure = false): TaskState {
  if (status === 'failed' && allowFailure) return 'skipped';
  return STATES[status];
}

/**
 * The normalised state of a pipeline. A skipped pipeline ran nothing and says nothing about the
 * branch: `aborted`, which records no branch outcome (as a skipped GitHub run).
 */
export function gitlabPipelineState(status: GitlabStatus): BuildState {
  const state = STATES[status];
  return state === 'skipped' ? 'aborted' : state;
}
