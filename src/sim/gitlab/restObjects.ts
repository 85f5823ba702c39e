/**
 * The simulated world as GitLab's REST v4 API shows it: the project, pipeline and job objects of
 * `GET /projects/:id`, `.../pipelines` and `.../pipelines/:pipeline_id/jobs`, with the fields of
 * GitLab's API docs (what the client reads, and enough of the rest to look real).
 */
import { apiTime, displayName, projectWebUrl, seconds, SIM_GITLAB_WEB, simRunner, commitTitleOf } from './payloads.js';
import type { SimGitlabJob, SimGitlabPipeline, SimGitlabProject } from './world.js';
import { projectFullPath } from './world.js';

function apiUser(username: string) {
  return { id: 9000 + username.length, username, name: displayName(username), state: 'active', avatar_url: `https://secure.gravatar.com/avatar/${username}?s=80&d=identicon`, web_url: `${SIM_GITLAB_WEB}/${username}` };
}

/** `GET /projects/:id`. */
export function apiProject(project: SimGitlabProject) {
  return {
    id: project.id,
    description: `The ${project.path} project`,
    name: project.path,
    name_with_namespace: `${displayName(project.namespace)} / ${project.path}`,
    path: project.path,
    path_with_namespace: projectFullPath(project),
    default_branch: project.defaultBranch,
    web_url: projectWebUrl(project),
    visibility: project.private ? 'private' : 'public',
    namespace: { id: 7000 + project.namespace.length, name: displayName(project.namespace), path: project.namespace.split('/').at(-1), kind: 'group', full_path: project.namespace },
  };
}

/** A pipeline as `GET /projects/:id/pipelines` lists it. */
export function apiPipeline(pipeline: SimGitlabPipeline) {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.project.id,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: pipeline.status,
    source: pipeline.source,
    created_at: apiTime(pipeline.createdAt),
    updated_at: apiTime(pipeline.updatedAt),
    web_url: `${projectWebUrl(pipeline.project)}/-/pipelines/${pipeline.id}`,
    name: null,
  };
}

/** A job as `GET /projects/:id/pipelines/:pipeline_id/jobs` lists it. */
export function apiJob(pipeline: SimGitlabPipeline, job: SimGitlabJob) {
  const web = projectWebUrl(pipeline.project);
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    name: job.name,
    ref: pipeline.ref,
    tag: false,
    coverage: null,
    allow_failure: job.allowFailure,
    created_at: apiTime(job.createdAt),
    started_at: apiTime(job.startedAt),
    finished_at: apiTime(job.finishedAt),
    erased_at: null,
    duration: seconds(job.startedAt, job.finishedAt),
    queued_duration: seconds(job.createdAt, job.startedAt),
    user: apiUser(pipeline.user),
    commit: {
      id: pipeline.sha,
      short_id: pipeline.sha.slice(0, 8),
      created_at: apiTime(pipeline.createdAt - 60_000),
      parent_ids: [],
      title: commitTitleOf(pipeline),
      message: pipeline.message,
      author_name: displayName(pipeline.user),
      author_email: `${pipeline.user}@example.com`,
      web_url: `${web}/-/commit/${pipeline.sha}`,
    },
    pipeline: apiPipeline(pipeline),
    web_url: `${web}/-/jobs/${job.id}`,
    ...(job.failureReason === null ? {} : { failure_reason: job.failureReason }),
    artifacts: [],
    runner: job.startedAt === null ? null : simRunner(),
    tag_list: [],
    archived: false,
  };
}
