/**
 * Approve and re-run for GitLab pipelines. "Approve" plays the manual jobs the pipeline waits on
 * (status `manual` and not allowed to fail: the ones that block it; an optional manual job, such
 * as a deploy someone may start, is left to people); "re-run failed jobs" retries the pipeline,
 * which GitLab does for its failed and canceled jobs. The project is the build's repository, its
 * full path (`owner/name`, subgroups in the owner), which the API takes URL-encoded.
 */
import type { BuildRef } from '../../../core/ports.js';
import { createGitlabApi, type GitlabApi } from '../../../providers/gitlab/api/client.js';
import { GITLAB_API } from '../../../providers/gitlab/links.js';
import type { SourceActions } from '../actionRouter.js';

/**
 * @param webHost the host of the pipelines' pages this API serves: `gitlab.com` for
 *   https://gitlab.com/api/v4, a self-managed instance's host; undefined for a stand-in (the demo's simulator).
 */
export function createGitlabBuildActions(api: Pick<GitlabApi, 'listPipelineJobs' | 'playJob' | 'retryPipeline'>, webHost: string | undefined): SourceActions {
  return {
    provider: 'gitlab',
    ...(webHost === undefined ? {} : { host: webHost }),
    async approve(build) {
      const project = projectOf(build);
      const { jobs } = await api.listPipelineJobs(project, build.id, { scope: ['manual'] });
      const blocking = jobs.filter((job) => job.status === 'manual' && job.allow_failure !== true);
      if (blocking.length === 0) throw new Error(`Pipeline ${build.id} of ${project} waits on no manual job (any more): there is nothing to start`);
      for (const job of blocking) await api.playJob(project, job.id);
    },
    rerunFailedTasks: async (build) => api.retryPipeline(projectOf(build), build.id),
  };
}

/**
 * Approve and Re-run of the GitLab demo: through the simulator's API with its write token. Its
 * pipelines link to gitlab.com pages it does not serve, so the actions take any host. Shaped as
 * the generic demo source's `DemoActionsFactory` (here, not in source.ts, so the demo source can
 * import it without a cycle).
 */
export function gitlabDemoActions(feed: { readonly apiUrl: string; readonly writeToken: string }): readonly SourceActions[] {
  return [createGitlabBuildActions(createGitlabApi({ baseUrl: feed.apiUrl, token: feed.writeToken }), undefined)];
}

/** The host of the pages of the pipelines an API base serves: https://gitlab.com/api/v4 → gitlab.com. */
export function gitlabWebHost(apiUrl: string | undefined): string {
  return new URL(apiUrl ?? GITLAB_API).host;
}

function projectOf(build: BuildRef): string {
  return `${build.repository.owner}/${build.repository.name}`;
}
