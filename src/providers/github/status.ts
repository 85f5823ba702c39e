/**
 * GitHub Actions statuses and conclusions (FACTS.md, "GitHub Actions") and how they map onto the
 * normalised states. A run or job says `status`; once `completed`, its `conclusion` says how.
 */
import { z } from 'zod';
import type { BuildState, TaskState } from '../../core/event.js';

/**
 * Webhooks send `requested queued in_progress waiting completed`; the REST API also reports
 * `pending` (waiting for a concurrency group) and `action_required` (a fork's run held for approval).
 */
export const githubStatusSchema = z.enum([
  'requested', 'queued', 'pending', 'waiting', 'in_progress', 'completed', 'action_required',
]);
export type GithubStatus = z.infer<typeof githubStatusSchema>;

/** `startup_failure` is not in the webhook docs but real runs have it (an invalid workflow file). */
export const githubConclusionSchema = z.enum([
  'success', 'failure', 'neutral', 'cancelled', 'timed_out', 'action_required', 'skipped', 'stale', 'startup_failure',
]);
export type GithubConclusion = z.infer<typeof githubConclusionSchema>;

const ACTIVE_STATES: Record<Exclude<GithubStatus, 'completed'>, BuildState> = {
  requested: 'queued',
  queued: 'queued',
  pending: 'queued',
  // A job waiting on a protected environment, or its run: someone must approve the deployment.
  waiting: 'needs_approval',
  action_required: 'needs_approval',
  in_progress: 'running',
};

const FINISHED_STATES: Record<GithubConclusion, TaskState> = {
  success: 'passed',
  // GitHub counts neutral as a pass for merging; so does the notifier.
  neutral: 'passed',
  failure: 'failed',
  // A timeout is the job's own doing (timeout-minutes), not the infrastructure's: a failure.
  timed_out: 'failed',
  cancelled: 'aborted',
  // Stale: GitHub gave up on a run left unfinished too long. Nobody stopped it, nothing failed.
  stale: 'aborted',
  // A fork's first-time contributor run that completed without running: waiting for approval.
  action_required: 'needs_approval',
  skipped: 'skipped',
  startup_failure: 'errored',
};

/**
 * The normalised state of a workflow run. A skipped run ran nothing, so it says nothing about the
 * branch: `aborted`, which records no branch outcome (a skipped run must never read as "fixed").
 */
export function githubRunState(status: GithubStatus, conclusion: GithubConclusion | null | undefined): BuildState {
  const state = githubJobState(status, conclusion);
  return state === 'skipped' ? 'aborted' : state;
}

/** The normalised state of a workflow job; a completed job without a conclusion counts as errored. */
export function githubJobState(status: GithubStatus, conclusion: GithubConclusion | null | undefined): TaskState {
  if (status !== 'completed') return ACTIVE_STATES[status];
  return conclusion ? FINISHED_STATES[conclusion] : 'errored';
}
