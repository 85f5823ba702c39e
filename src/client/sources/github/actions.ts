/**
 * Approve and re-run for GitHub runs: "approve" approves a fork pull request's run, "re-run failed
 * tasks" re-runs its failed jobs. The run's repository comes with the build, so nothing needs to
 * remember where a run was seen.
 */
import type { GithubApi } from '../../../providers/github/api/client.js';
import type { SourceActions } from '../actionRouter.js';

/**
 * @param webHost the host of the runs' pages this API serves: `github.com` for api.github.com,
 *   the server's host for GitHub Enterprise Server; undefined for a stand-in (the demo's simulator).
 */
export function createGithubBuildActions(api: Pick<GithubApi, 'approveRun' | 'rerunFailedJobs'>, webHost: string | undefined): SourceActions {
  return {
    provider: 'github',
    ...(webHost === undefined ? {} : { host: webHost }),
    approve: async (build) => api.approveRun(build.repository, build.id),
    rerunFailedTasks: async (build) => api.rerunFailedJobs(build.repository, build.id),
  };
}

/** The host of the pages of the runs an API base serves: api.github.com → github.com, `https://ghe.example.com/api/v3` → ghe.example.com. */
export function githubWebHost(apiUrl: string | undefined): string {
  if (apiUrl === undefined) return 'github.com';
  const host = new URL(apiUrl).host;
  return host === 'api.github.com' ? 'github.com' : host;
}
