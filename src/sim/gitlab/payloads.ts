/**
 * The simulated world in GitLab's hook shapes: Pipeline Hook and Job Hook bodies with the field
 * set of the real deliveries in ../shared/fixtures/gitlab/ (and the newer fields of today's
 * GitLab: pipeline_id, failure_reason, project). The REST v4 objects are in restObjects.ts. Times
 * are as GitLab writes them: `2026-11-30 10:02:11 UTC` in hooks, ISO 8601 in the API.
 */
import type { SimGitlabChange, SimGitlabJob, SimGitlabPipeline, SimGitlabProject } from './world.js';
import { projectFullPath } from './world.js';

/** One delivery: the event type (`X-Gitlab-Event`) and the exact JSON text to send. */
export interface GitlabWirePayload {
  readonly eventType: 'Pipeline Hook' | 'Job Hook';
  readonly body: string;
}

/** Where the simulated pages live; `https://gitlab.com` so links look (and open) like the real ones. */
export const SIM_GITLAB_WEB = 'https://gitlab.com';

const hookTime = (ms: number | null) => (ms === null ? null : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
export const apiTime = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.round((to - from) / 100) / 10);

export function projectWebUrl(project: SimGitlabProject): string {
  return `${SIM_GITLAB_WEB}/${projectFullPath(project)}`;
}

export function displayName(path: string): string {
  return path.split('/').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join(' / ');
}

function hookUser(username: string) {
  return { id: 9000 + username.length, name: displayName(username), username, avatar_url: `https://secure.gravatar.com/avatar/${username}?s=80&d=identicon`, email: '[REDACTED]' };
}


const visibilityLevel = (project: SimGitlabProject) => (project.private ? 0 : 20);
/** The first line of the pipeline's commit message. */
export const commitTitleOf = (pipeline: SimGitlabPipeline) => pipeline.message.split('\n', 1)[0]!;
const currentJobs = (pipeline: SimGitlabPipeline) => pipeline.jobs.filter((job) => !job.retried);

/** The `project` object of a pipeline hook (and, trimmed, of a job hook). */
function hookProject(project: SimGitlabProject) {
  const web = projectWebUrl(project);
  return {
    id: project.id,
    name: project.path,
    description: `The ${project.path} project`,
    web_url: web,
    avatar_url: null,
    git_ssh_url: `git@gitlab.com:${projectFullPath(project)}.git`,
    git_http_url: `${web}.git`,
    namespace: displayName(project.namespace),
    visibility_level: visibilityLevel(project),
    path_with_namespace: projectFullPath(project),
    default_branch: project.defaultBranch,
    ci_config_path: '',
  };
}

function hookCommit(pipeline: SimGitlabPipeline) {
  return {
    id: pipeline.sha,
    message: pipeline.message,
    title: commitTitleOf(pipeline),
    timestamp: new Date(pipeline.createdAt - 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    url: `${projectWebUrl(pipeline.project)}/-/commit/${pipeline.sha}`,
    author: { name: displayName(pipeline.user), email: `${pipeline.user}@example.com` },
  };
}

function hookJob(pipeline: SimGitlabPipeline, job: SimGitlabJob) {
  return {
    id: job.id,
    stage: job.stage,
    name: job.name,
    status: job.status,
    created_at: hookTime(job.createdAt),
    started_at: hookTime(job.startedAt),
    finished_at: hookTime(job.finishedAt),
    duration: seconds(job.startedAt, job.finishedAt),
    queued_duration: seconds(job.createdAt, job.startedAt),
    failure_reason: job.failureReason,
    when: job.when,
    manual: job.when === 'manual',
    allow_failure: job.allowFailure,
    user: (({ email: _email, ...rest }) => rest)(hookUser(pipeline.user)),
    runner: job.startedAt === null ? null : simRunner(),
    artifacts_file: { filename: null, size: null },
    environment: job.stage === 'deploy' ? { name: 'production', action: 'start', deployment_tier: 'production' } : null,
  };
}

export function simRunner() {
  return { id: 12270807, description: '3-blue.saas-linux-small-amd64', runner_type: 'instance_type', active: true, is_shared: true, tags: [] };
}

/** The `Pipeline Hook` GitLab sends about `pipeline`. */
export function pipelineHookBody(pipeline: SimGitlabPipeline) {
  const mr = pipeline.mergeRequest;
  const stages = [...new Set(pipeline.jobs.map((job) => job.stage))];
  return {
    object_kind: 'pipeline',
    object_attributes: {
      id: pipeline.id,
      iid: pipeline.iid,
      name: null,
      ref: pipeline.ref,
      tag: false,
      sha: pipeline.sha,
      before_sha: '0'.repeat(40),
      source: pipeline.source,
      status: pipeline.status,
      detailed_status: pipeline.status === 'success' ? 'passed' : pipeline.status,
      stages,
      created_at: hookTime(pipeline.createdAt),
      finished_at: hookTime(pipeline.finishedAt),
      duration: seconds(pipeline.createdAt, pipeline.finishedAt),
      queued_duration: 1,
      variables: [],
      url: `${projectWebUrl(pipeline.project)}/-/pipelines/${pipeline.id}`,
    },
    merge_request:
      mr === null
        ? null
        : {
            id: 301_100_000 + mr.iid,
            iid: mr.iid,
            title: mr.title,
            source_branch: mr.sourceBranch,
            source_project_id: pipeline.project.id,
            target_branch: pipeline.project.defaultBranch,
            target_project_id: pipeline.project.id,
            state: 'opened',
            merge_status: 'can_be_merged',
            detailed_merge_status: 'mergeable',
            url: `${projectWebUrl(pipeline.project)}/-/merge_requests/${mr.iid}`,
          },
    user: hookUser(pipeline.user),
    project: hookProject(pipeline.project),
    commit: hookCommit(pipeline),
    builds: currentJobs(pipeline).map((job) => hookJob(pipeline, job)),
  };
}

/** The `Job Hook` GitLab sends about `job`: flat `build_*` fields; `commit` describes the pipeline. */
export function jobHookBody(pipeline: SimGitlabPipeline, job: SimGitlabJob) {
  const { project } = pipeline;
  const web = projectWebUrl(project);
  return {
    object_kind: 'build',
    // The job's ref is its pipeline's: refs/merge-requests/<iid>/head in a merge request pipeline.
    ref: pipeline.ref,
    tag: false,
    before_sha: '0'.repeat(40),
    sha: pipeline.sha,
    retries_count: pipeline.jobs.filter((other) => other.retried && other.name === job.name).length,
    build_id: job.id,
    build_name: job.name,
    build_stage: job.stage,
    build_status: job.status,
    build_created_at: hookTime(job.createdAt),
    build_started_at: hookTime(job.startedAt),
    build_finished_at: hookTime(job.finishedAt),
    build_duration: seconds(job.startedAt, job.finishedAt),
    build_queued_duration: seconds(job.createdAt, job.startedAt),
    build_allow_failure: job.allowFailure,
    build_failure_reason: job.failureReason ?? 'unknown_failure',
    pipeline_id: pipeline.id,
    runner: job.startedAt === null ? null : simRunner(),
    project_id: project.id,
    project_name: `${displayName(project.namespace)} / ${project.path}`,
    user: hookUser(pipeline.user),
    commit: {
      id: pipeline.id,
      name: null,
      sha: pipeline.sha,
      message: pipeline.message,
      author_name: displayName(pipeline.user),
      author_email: `${pipeline.user}@example.com`,
      author_url: `${SIM_GITLAB_WEB}/${pipeline.user}`,
      status: pipeline.status,
      duration: seconds(pipeline.createdAt, pipeline.finishedAt),
      started_at: hookTime(pipeline.createdAt),
      finished_at: hookTime(pipeline.finishedAt),
    },
    repository: {
      name: project.path,
      url: `git@gitlab.com:${projectFullPath(project)}.git`,
      description: `The ${project.path} project`,
      homepage: web,
      git_http_url: `${web}.git`,
      git_ssh_url: `git@gitlab.com:${projectFullPath(project)}.git`,
      visibility_level: visibilityLevel(project),
    },
    project: { id: project.id, name: project.path, web_url: web, path_with_namespace: projectFullPath(project), visibility_level: visibilityLevel(project) },
    environment: job.stage === 'deploy' ? { name: 'production', action: 'start', deployment_tier: 'production' } : null,
  };
}

/** The hook GitLab sends about `change`. */
export function gitlabWirePayload(change: SimGitlabChange): GitlabWirePayload {
  if (change.kind === 'pipeline') return { eventType: 'Pipeline Hook', body: JSON.stringify(pipelineHookBody(change.pipeline)) };
  return { eventType: 'Job Hook', body: JSON.stringify(jobHookBody(change.pipeline, change.job)) };
}
