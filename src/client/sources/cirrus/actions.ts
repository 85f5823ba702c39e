/** Approve and re-run for Cirrus builds, through the GraphQL API (`approve`, `batchReRun`). */
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { SourceActions } from '../actionRouter.js';

export function createCirrusBuildActions(api: Pick<CirrusApi, 'approveBuild' | 'rerunFailed'>): SourceActions {
  return {
    provider: 'cirrus',
    approve: async (build) => void (await api.approveBuild(build.id)),
    rerunFailedTasks: async (build) => void (await api.rerunFailed(build.id)),
  };
}
