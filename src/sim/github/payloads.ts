/**
 * The simulated world in GitHub's own shapes: `workflow_run` and `workflow_job` webhook payloads
 * and the REST listing's run objects, with the field set of the octokit examples in
 * ../shared/fixtures/github/ (the ones a consumer reads, plus enough of the rest to look real).
 */
import { simJobSteps } from './steps.js';
import type { SimGithubChange, SimGithubJob, SimGithubRepository, SimGithubRun } from './world.js';

/** One delivery: the event type and the exact JSON text to sign and send. */
export interface GithubWirePayload {
  readonly eventType: 'workflow_run' | 'workflow_job';
  readonly body: string;
}

/** Where the simulated pages live; `https://github.com` so links look (and open) like the real ones. */
export const SIM_GITHUB_WEB = 'https://github.com';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

function user(login: string) {
  return { login, id: 1000 + login.length, type: 'User', html_url: `${SIM_GITHUB_WEB}/${login}`, site_admin: false };
}

/** The repository object of a webhook payload (and, trimmed, of a listed run). */
export function repositoryObject(repository: SimGithubRepository) {
  const fullName = `${repository.owner}/${repository.name}`;
  return {
    id: repository.id,
    node_id: `R_sim${repository.id}`,
    name: repository.name,
    full_name: fullName,
    private: repository.private,
    owner: { ...user(repository.owner), type: 'Organization' },
    html_url: `${SIM_GITHUB_WEB}/${fullName}`,
    fork: false,
    default_branch: repository.defaultBranch,
    visibility: repository.private ? 'private' : 'public',
  };
}

/** A run as GitHub shows it in `workflow_run` payloads and in `GET .../actions/runs`. */
export function runObject(run: SimGithubRun, apiBase: string) {
  const fullName = `${run.repository.owner}/${run.repository.name}`;
  return {
    id: run.id,
    name: run.workflowName,
    node_id: `WFR_sim${run.id}`,
    head_branch: run.branch,
    head_sha: run.sha,
    path: '.github/workflows/ci.yml',
    display_title: run.title,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: 1,
    url: `${apiBase}/repos/${fullName}/actions/runs/${run.id}`,
    html_url: `${SIM_GITHUB_WEB}/${fullName}/actions/runs/${run.id}`,
    pull_requests:
      run.pullRequest === null
        ? []
        : [{ number: run.pullRequest, head: { ref: run.branch, sha: run.sha }, base: { ref: run.repository.defaultBranch, sha: '0'.repeat(40) } }],
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    run_attempt: run.runAttempt,
    run_started_at: iso(run.createdAt),
    actor: user(run.actor),
    triggering_actor: user(run.triggeringActor),
    head_commit: {
      id: run.sha,
      tree_id: run.sha.split('').reverse().join(''),
      message: `${run.title}\n\nSimulated by buildbell.`,
      timestamp: iso(run.createdAt),
      author: { name: run.actor, email: `${run.actor}@users.noreply.github.com` },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    },
  };
}

/** A job as `workflow_job` payloads and `GET .../actions/runs/{id}/jobs` show it. */
export function jobObject(run: SimGithubRun, job: SimGithubJob, apiBase: string) {
  const fullName = `${run.repository.owner}/${run.repository.name}`;
  return {
    id: job.id,
    run_id: run.id,
    workflow_name: run.workflowName,
    head_branch: run.branch,
    run_attempt: job.runAttempt,
    node_id: `CR_sim${job.id}`,
    head_sha: run.sha,
    url: `${apiBase}/repos/${fullName}/actions/jobs/${job.id}`,
    html_url: `${SIM_GITHUB_WEB}/${fullName}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt ?? job.createdAt),
    completed_at: iso(job.completedAt),
    name: job.name,
    steps: simJobSteps(job),
    check_run_url: `${apiBase}/repos/${fullName}/check-runs/${job.id}`,
    labels: ['ubuntu-latest'],
    runner_id: job.startedAt === null ? null : 1,
    runner_name: job.startedAt === null ? null : 'GitHub Actions 1',
    runner_group_id: job.startedAt === null ? null : 2,
    runner_group_name: job.startedAt === null ? null : 'GitHub Actions',
  };
}

/** The webhook GitHub sends about `change`. */
export function githubWirePayload(change: SimGithubChange, apiBase: string): GithubWirePayload {
  const common = { repository: repositoryObject(change.run.repository), sender: user(change.run.triggeringActor) };
  if (change.kind === 'workflow_run') {
    const body = { action: change.action, workflow_run: runObject(change.run, apiBase), workflow: { id: 1, name: change.run.workflowName, path: '.github/workflows/ci.yml' }, ...common };
    return { eventType: 'workflow_run', body: JSON.stringify(body) };
  }
  const body = { action: change.action, workflow_job: jobObject(change.run, change.job, apiBase), ...common };
  return { eventType: 'workflow_job', body: JSON.stringify(body) };
}
