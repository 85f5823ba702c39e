/**
 * What one changed GitLab pipeline means, as the normalised events a webhook would have brought:
 * a task event for each job whose status moved (the failed job's own page among them, so a
 * failure opens the job that failed) and a build event when the pipeline's status moved (with the
 * status the previous poll saw). Pure functions: the poller does the I/O.
 */
import type { Build, NormalisedEvent, Repository } from '../../../core/event.js';
import { isFinalState, normalisedEventSchema } from '../../../core/event.js';
import { boundFailureDetail } from '../../../core/failureDetail.js';
import type { ApiJob, ApiPipeline, ApiProject } from '../../../providers/gitlab/api/responses.js';
import { mergeRequestOfRef, parseGitlabTime } from '../../../providers/gitlab/normalise.js';
import { gitlabJobState, gitlabPipelineState, type GitlabStatus } from '../../../providers/gitlab/status.js';
import { commitSubject, commitTitle } from '../../../providers/title.js';

/** A pipeline as the latest poll saw it; `jobs` is null until they were listed (a baseline's pipelines). */
export interface KnownPipeline {
  readonly pipeline: ApiPipeline;
  readonly jobs: readonly ApiJob[] | null;
}

/** True when the pipeline's status or its update time moved since `before`: its jobs are worth listing. */
export function pipelineChanged(before: KnownPipeline | undefined, pipeline: ApiPipeline): boolean {
  return before === undefined || before.pipeline.status !== pipeline.status || before.pipeline.updated_at !== pipeline.updated_at;
}

/**
 * The events between `before` (undefined: a pipeline new since the last poll) and the pipeline
 * with its `jobs` now. Job events come before the pipeline's, as GitLab's hooks arrive, and carry
 * the pipeline as it was (as last seen; `created` for one never seen), so the failure is told
 * once, by the pipeline's event, with every failed job already known. A pipeline that left a
 * final status (a retry) comes first instead, so its earlier failures are put behind it before
 * the new jobs arrive, and those carry it as it is now.
 */
export function gitlabPipelineEvents(project: ApiProject, before: KnownPipeline | undefined, pipeline: ApiPipeline, jobs: readonly ApiJob[], receivedAt: number): NormalisedEvent[] {
  const repository = gitlabApiRepository(project);
  const build = gitlabApiBuild(pipeline, jobs, before?.pipeline.status ?? null);
  const retried = before !== undefined && isFinalState(gitlabPipelineState(before.pipeline.status)) && !isFinalState(build.state);
  const asOf: GitlabStatus = retried ? pipeline.status : (before?.pipeline.status ?? 'created');
  const buildOfTasks: Build = { ...build, status: asOf, state: gitlabPipelineState(asOf), previousStatus: null };
  const jobsBefore = new Map((before?.jobs ?? []).map((job) => [job.id, job]));
  const taskEvents = jobs.flatMap((job) => {
    const old = jobsBefore.get(job.id);
    if (old !== undefined && old.status === job.status) return [];
    return [taskEvent(repository, buildOfTasks, job, old?.status ?? null, receivedAt)];
  });
  const statusMoved = before === undefined || before.pipeline.status !== pipeline.status;
  if (!statusMoved) return taskEvents;
  const pipelineEvent = normalisedEventSchema.parse({
    // A pipeline passes through the same status again after a retry; its update time makes the id unique.
    id: `poll:gitlab:${pipeline.id}:${pipeline.status}:${pipeline.updated_at ?? ''}`,
    provider: 'gitlab',
    kind: 'build',
    action: before === undefined ? 'created' : 'updated',
    receivedAt,
    repository,
    build,
    task: null,
  });
  return retried ? [pipelineEvent, ...taskEvents] : [...taskEvents, pipelineEvent];
}

/** The repository of a project: its full path split at the last `/` (subgroups stay in the owner). */
export function gitlabApiRepository(project: ApiProject): Repository {
  const path = project.path_with_namespace;
  const slash = path.lastIndexOf('/');
  return { id: project.id, owner: path.slice(0, slash), name: path.slice(slash + 1), private: project.visibility !== 'public' };
}

/**
 * The build of a listed pipeline. The listing has no commit title nor user: the jobs carry both.
 * A merge request pipeline's ref names the merge request, not a branch: its iid is the pull
 * request, and the branch stays unknown (the engine keeps the one a hook told, if any).
 */
export function gitlabApiBuild(pipeline: ApiPipeline, jobs: readonly ApiJob[], previousStatus: string | null): Build {
  const mergeRequest = mergeRequestOfRef(pipeline.ref);
  const withCommit = jobs.find((job) => job.commit);
  return {
    id: pipeline.id,
    status: pipeline.status,
    previousStatus,
    state: gitlabPipelineState(pipeline.status),
    branch: mergeRequest === null ? (pipeline.ref ?? null) : null,
    sha: pipeline.sha ?? null,
    title: commitTitle(withCommit?.commit?.title ?? commitSubject(withCommit?.commit?.message)),
    pullRequest: mergeRequest,
    initiator: jobs.find((job) => job.user?.username)?.user?.username ?? null,
    url: pipeline.web_url,
    changedAt: parseGitlabTime(pipeline.updated_at),
  };
}

function taskEvent(repository: Repository, build: Build, job: ApiJob, previousStatus: string | null, receivedAt: number): NormalisedEvent {
  const state = gitlabJobState(job.status, job.allow_failure ?? false);
  // GitLab's reason, as a Job Hook's build_failure_reason tells it; the log's end is the failure detail's to fetch.
  const reason = state === 'failed' ? (job.failure_reason ?? null) : null;
  return normalisedEventSchema.parse({
    id: `poll:gitlab:job:${job.id}:${job.status}`,
    provider: 'gitlab',
    kind: 'task',
    action: previousStatus === null ? 'created' : 'updated',
    receivedAt,
    repository,
    build,
    task: {
      id: job.id,
      name: job.name,
      status: job.status,
      previousStatus,
      state,
      url: job.web_url,
      ...(reason ? { detail: boundFailureDetail({ reason }) } : {}),
    },
  });
}
