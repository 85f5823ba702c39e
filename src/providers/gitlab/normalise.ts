/**
 * GitLab pipeline and job hooks to the normalised event of DESIGN.md: a pipeline is the build, a
 * job is a task of it. The repository is the project's full path (subgroups included): owner is
 * everything before the last `/`, so `acme/platform/web` is owner `acme/platform`, name `web`.
 */
import type { Build, NormalisedEvent, Repository } from '../../core/event.js';
import { boundFailureDetail } from '../../core/failureDetail.js';
import type { DecodeContext } from '../provider.js';
import { commitSubject, commitTitle } from '../title.js';
import { gitlabJobUrl, gitlabPipelineUrl } from './links.js';
import { projectPathOfUrl, type GitlabJobEvent, type GitlabPipelineEvent } from './payload.js';
import type { GitlabStatus } from './status.js';
import { gitlabJobState, gitlabPipelineState } from './status.js';

/** visibility_level 20 is public; 0 (private) and 10 (internal: any signed-in user) are not. */
const PUBLIC = 20;
/** The ref of a merge request pipeline: `refs/merge-requests/<iid>/head` (or `/merge`, `/train`). */
const MERGE_REQUEST_REF = /^refs\/merge-requests\/(\d{1,9})\/[a-z]+$/;

/** The merge request's iid when `ref` is a merge request pipeline's ref (which names no branch); else null. */
export function mergeRequestOfRef(ref: string | null | undefined): number | null {
  const match = MERGE_REQUEST_REF.exec(ref ?? '');
  return match ? Number(match[1]) : null;
}
/** Statuses of a pipeline or job that has only just appeared. */
const NEW_STATUSES: ReadonlySet<GitlabStatus> = new Set(['created']);

export function normaliseGitlabPipelineEvent(payload: GitlabPipelineEvent, context: DecodeContext): NormalisedEvent {
  const pipeline = payload.object_attributes;
  const changedAt = parseGitlabTime(pipeline.finished_at ?? pipeline.created_at);
  return {
    id: context.id,
    provider: 'gitlab',
    kind: 'build',
    action: NEW_STATUSES.has(pipeline.status) ? 'created' : 'updated',
    receivedAt: context.receivedAt,
    // Older GitLab sends no project id with a pipeline: its full path names the project as well.
    repository: gitlabRepository(payload.project.id ?? payload.project.path_with_namespace, payload.project.path_with_namespace, payload.project.visibility_level),
    build: {
      id: pipeline.id,
      status: pipeline.status,
      previousStatus: previousStatusOf(pipeline.status),
      state: gitlabPipelineState(pipeline.status),
      // A merge request pipeline runs on the MR's source branch; its `ref` is refs/merge-requests/….
      branch: payload.merge_request?.source_branch ?? pipeline.ref ?? null,
      sha: pipeline.sha ?? null,
      title: commitTitle(payload.commit?.title ?? commitSubject(payload.commit?.message)),
      pullRequest: payload.merge_request?.iid ?? null,
      initiator: payload.user?.username ?? null,
      url: gitlabPipelineUrl(payload.project.web_url, pipeline.id),
      changedAt,
    },
    task: null,
  };
}

export function normaliseGitlabJobEvent(payload: GitlabJobEvent, context: DecodeContext): NormalisedEvent {
  const projectUrl = payload.repository.homepage;
  // Older deliveries lack pipeline_id; their `commit.id` is the pipeline's id.
  const pipelineId = payload.pipeline_id ?? payload.commit.id;
  if (pipelineId === undefined || pipelineId === null) throw new TypeError('a GitLab job event names no pipeline (pipeline_id or commit.id)');
  const state = gitlabJobState(payload.build_status, payload.build_allow_failure ?? false);
  // GitLab says why a job failed in its hook; the log's last lines need its API (a token).
  const reason = state === 'failed' ? payload.build_failure_reason : null;
  return {
    id: context.id,
    provider: 'gitlab',
    kind: 'task',
    action: NEW_STATUSES.has(payload.build_status) ? 'created' : 'updated',
    receivedAt: context.receivedAt,
    repository: gitlabRepository(payload.project_id, projectPathOfUrl(projectUrl)!, payload.repository.visibility_level),
    build: pipelineSeenFromJob(payload, pipelineId, projectUrl),
    task: {
      id: payload.build_id,
      name: payload.build_name,
      status: payload.build_status,
      previousStatus: null,
      state,
      url: gitlabJobUrl(projectUrl, payload.build_id),
      ...(reason ? { detail: boundFailureDetail({ reason }) } : {}),
    },
  };
}

/**
 * A job event carries its pipeline's status in `commit.status`. Without it, a finished job does
 * not finish the pipeline (others may run), so it says `running`; the engine never moves a build
 * backwards, so a late job event changes nothing.
 */
function pipelineSeenFromJob(payload: GitlabJobEvent, pipelineId: string, projectUrl: string): Build {
  const mergeRequest = mergeRequestOfRef(payload.ref);
  const status: GitlabStatus = payload.commit.status ?? (['success', 'failed', 'canceled', 'skipped'].includes(payload.build_status) ? 'running' : payload.build_status);
  return {
    id: pipelineId,
    status,
    previousStatus: previousStatusOf(status),
    state: gitlabPipelineState(status),
    // In a merge request pipeline a job's ref names the merge request, not a branch: the branch
    // stays what the pipeline's hook said (its source branch), and the iid is the pull request.
    branch: mergeRequest === null ? (payload.ref ?? null) : null,
    sha: payload.sha ?? null,
    title: commitTitle(commitSubject(payload.commit.message)),
    pullRequest: mergeRequest,
    initiator: payload.user?.username ?? null,
    url: gitlabPipelineUrl(projectUrl, pipelineId),
    changedAt: null,
  };
}

/**
 * The status a pipeline left, where its own status says it. A hook names no previous status, and
 * the engine never moves a build back from running to waiting unless told it left `running`; but
 * a pipeline blocks on a manual job (`manual`) once the stages before it ran, so it did leave
 * `running` (as a GitHub run waiting on an environment left `in_progress`). Where the manual job
 * is in the first stage, the pipeline left `created` or `pending`, and the engine takes the wait
 * over those anyway.
 */
function previousStatusOf(status: GitlabStatus): GitlabStatus | null {
  return status === 'manual' ? 'running' : null;
}

function gitlabRepository(id: string, path: string, visibility: number | null | undefined): Repository {
  const slash = path.lastIndexOf('/');
  return { id, owner: path.slice(0, slash), name: path.slice(slash + 1), private: visibility !== PUBLIC };
}

/** GitLab writes times as `2016-08-12 15:23:28 UTC` in hooks and ISO 8601 elsewhere. */
export function parseGitlabTime(text: string | null | undefined): number | null {
  if (!text) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC)?$/.test(text) ? `${text.replace(' UTC', '').replace(' ', 'T')}Z` : text;
  const time = Date.parse(iso);
  return Number.isFinite(time) ? time : null;
}
