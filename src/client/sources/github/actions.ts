/**
 * Approve and re-run for GitHub builds, behind the engine's BuildActionsPort: "approve" approves a
 * fork pull request's run, "re-run failed tasks" re-runs its failed jobs. And, for a relay that
 * carries both providers, a port that hands each build to its own provider's actions.
 */
import type { BuildActionsPort } from '../../../core/ports.js';
import type { Provider } from '../../../core/event.js';
import type { GithubApi } from '../../../providers/github/api/client.js';
import type { BuildDirectory } from '../buildDirectory.js';

/** GitHub actions for the runs `directory` has seen (it knows each run's repository). */
export function createGithubBuildActions(api: Pick<GithubApi, 'approveRun' | 'rerunFailedJobs'>, directory: BuildDirectory): BuildActionsPort {
  const locate = (runId: string) => {
    const located = directory.find(runId);
    if (located === undefined || located.provider !== 'github') throw new Error(`run ${runId} is not a GitHub run this app has seen`);
    return { owner: located.owner, name: located.name };
  };
  return {
    // async, so an unknown run is a rejected promise like any other failure, never a synchronous throw.
    approve: async (runId) => api.approveRun(locate(runId), runId),
    rerunFailedTasks: async (runId) => api.rerunFailedJobs(locate(runId), runId),
  };
}

const MISSING_PORT: Record<Provider, string> = {
  cirrus: 'no Cirrus token (--cirrus-token) is configured for cirrus builds',
  github: 'no GitHub token (--github-token) is configured for github builds',
  gitlab: 'Approve and Re-run are not available for GitLab pipelines yet: open the pipeline on GitLab',
};

/** A port that sends each build's action to its provider's port; a provider without one gets a clear refusal. */
export function routeBuildActions(directory: BuildDirectory, ports: Partial<Record<Provider, BuildActionsPort>>): BuildActionsPort {
  const portFor = (buildId: string): BuildActionsPort => {
    const provider = directory.find(buildId)?.provider;
    const port = provider === undefined ? undefined : ports[provider];
    if (port === undefined) {
      throw new Error(provider === undefined
        ? `build ${buildId} is not one this app has seen`
        : MISSING_PORT[provider]);
    }
    return port;
  };
  return {
    approve: async (buildId) => portFor(buildId).approve(buildId),
    rerunFailedTasks: async (buildId) => portFor(buildId).rerunFailedTasks(buildId),
  };
}
