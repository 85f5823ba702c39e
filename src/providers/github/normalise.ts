/**
 * GitHub `workflow_run` and `workflow_job` payloads to the normalised event of DESIGN.md: a run is
 * the build (its id is the run id, the same across re-run attempts), a job is a task of it.
 */
import type { Build, NormalisedEvent, Repository, Task } from '../../core/event.js';
import { boundFailureDetail, type FailureDetail } from '../../core/failureDetail.js';
import type { DecodeContext } from '../provider.js';
import { commitSubject, commitTitle } from '../title.js';
import { githubRunUrl } from './links.js';
import type { GithubJob, GithubRepository, GithubRun, GithubWorkflowJobEvent, GithubWorkflowRunEvent } from './payload.js';
import { githubJobState, githubRunState } from './status.js';

/** The actions that announce a new run or job; every other one updates it. */
const CREATING_ACTIONS = new Set(['requested', 'queued']);

export function normaliseGithubRunEvent(payload: GithubWorkflowRunEvent, context: DecodeContext): NormalisedEvent {
  return {
    id: context.id,
    provider: 'github',
    kind: 'build',
    action: CREATING_ACTIONS.has(payload.action) ? 'created' : 'updated',
    receivedAt: context.receivedAt,
    repository: githubRepository(payload.repository),
    build: githubRunBuild(payload.workflow_run, webhookPreviousStatus(payload.workflow_run)),
    task: null,
  };
}

export function normaliseGithubJobEvent(payload: GithubWorkflowJobEvent, context: DecodeContext): NormalisedEvent {
  const job = payload.workflow_job;
  return {
    id: context.id,
    provider: 'github',
    kind: 'task',
    action: CREATING_ACTIONS.has(payload.action) ? 'created' : 'updated',
    receivedAt: context.receivedAt,
    repository: githubRepository(payload.repository),
    build: runSeenFromJob(payload.repository, job),
    task: githubJobTask(payload.repository, job, null),
  };
}

/** The normalised repository; `owner/name` is what settings and relay tokens match. */
export function githubRepository(repository: GithubRepository): Repository {
  return { id: repository.id, owner: repository.owner.login, name: repository.name, private: repository.private };
}

/** A run as the normalised build. `previousStatus`: the status the run left, when known. */
export function githubRunBuild(run: GithubRun, previousStatus: string | null): Build {
  const changedAt = run.head_commit?.timestamp ? Date.parse(run.head_commit.timestamp) : Number.NaN;
  return {
    id: run.id,
    status: run.status,
    previousStatus,
    state: githubRunState(run.status, run.conclusion),
    branch: run.head_branch ?? null,
    sha: run.head_sha ?? null,
    title: commitTitle(runTitle(run)),
    pullRequest: run.pull_requests[0]?.number ?? null,
    initiator: run.triggering_actor?.login ?? run.actor?.login ?? null,
    url: run.html_url,
    changedAt: Number.isFinite(changedAt) ? changedAt : null,
  };
}

/** A job as the normalised task; its page is the job's `html_url`, else its run's. */
export function githubJobTask(repository: GithubRepository, job: GithubJob, previousStatus: string | null): Task {
  const state = githubJobState(job.status, job.conclusion);
  const detail = state === 'failed' || state === 'errored' ? githubJobFailure(job) : undefined;
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    previousStatus,
    state,
    url: job.html_url ?? githubRunUrl(repository.html_url, job.run_id),
    ...(detail ? { detail } : {}),
  };
}

/**
 * The failed step of a failed job, where its steps are listed: the first that failed, or for a
 * job that timed out the first cancelled one (GitHub cancels the step that was running). Undefined
 * when no step says so (a job that failed before its steps, or a payload without steps).
 */
export function githubJobFailure(job: Pick<GithubJob, 'steps' | 'conclusion'>): FailureDetail | undefined {
  const steps = job.steps ?? [];
  const step = steps.find((s) => s.conclusion === 'failure') ?? (job.conclusion === 'timed_out' ? steps.find((s) => s.conclusion === 'cancelled') : undefined);
  if (step === undefined || step.name.trim() === '') return undefined;
  return boundFailureDetail({ step: step.name, reason: job.conclusion === 'timed_out' ? 'timed out' : null });
}

/**
 * A re-run keeps the run id and counts `run_attempt` up, and its first events say `queued` or
 * `in_progress` about a run the engine knows as `completed`. Saying that the run left `completed`
 * is what lets the engine take the re-run instead of refusing it as a late, older snapshot.
 */
function webhookPreviousStatus(run: GithubRun): string | null {
  return run.run_attempt > 1 && run.status !== 'completed' ? 'completed' : null;
}

/**
 * What a job event tells about its run, which the payload does not carry. A job queued or running
 * means the run is at least that far; a finished job does not finish the run (others may run), so
 * it says `in_progress`. The engine never moves a build backwards, so a job event arriving after
 * its run completed changes nothing. A job waiting on an environment holds the whole run for
 * approval, even a run already in progress: hence the run "left in_progress".
 */
function runSeenFromJob(repository: GithubRepository, job: GithubJob): Build {
  const status = job.status === 'completed' ? 'in_progress' : job.status;
  return {
    id: job.run_id,
    status,
    previousStatus: status === 'waiting' ? 'in_progress' : null,
    state: githubRunState(status, null),
    branch: job.head_branch ?? null,
    sha: job.head_sha ?? null,
    // The run's title and initiator come with its own events; null keeps what the engine knows.
    title: null,
    pullRequest: null,
    initiator: null,
    url: githubRunUrl(repository.html_url, job.run_id),
    changedAt: null,
  };
}

function runTitle(run: GithubRun): string | null {
  if (run.display_title) return run.display_title;
  const subject = commitSubject(run.head_commit?.message);
  if (subject) return subject;
  return run.name || null;
}
