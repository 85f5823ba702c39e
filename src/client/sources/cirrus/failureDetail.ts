/**
 * Why a Cirrus build failed, through its GraphQL API: each failed task's first failed command
 * (`Task.firstFailedCommand { name logsTail }`) in one request for the build. Where the engine
 * knows none of the build's tasks yet (their webhooks are late), the build's own task list is
 * asked instead. Cirrus documents no rate limit; one request per failed build is what it costs.
 */
import type { FailureDetailPort } from '../../../core/failureDetailPort.js';
import { boundFailureDetail, saysAnything, type TaskFailure } from '../../../core/failureDetail.js';
import type { CirrusApi } from '../../../providers/cirrus/api/client.js';
import type { ApiFailedTask } from '../../../providers/cirrus/api/responses.js';
import { cirrusTaskUrl } from '../../../providers/cirrus/links.js';

export function createCirrusFailureDetail(api: Pick<CirrusApi, 'failedCommands' | 'buildFailedCommands'>): FailureDetailPort {
  return {
    // One Cirrus CI: every Cirrus build is this API's.
    supports: (build) => build.provider === 'cirrus',
    async fetch(request, signal) {
      const tasks =
        request.tasks.length > 0
          ? await api.failedCommands(request.tasks.map((task) => task.id), signal)
          : (await api.buildFailedCommands(request.buildId, signal)).filter((task) => task.status === 'FAILED');
      return tasks.flatMap(taskFailure);
    },
  };
}

function taskFailure(task: ApiFailedTask): TaskFailure[] {
  const command = task.firstFailedCommand;
  if (!command) return [];
  // A long log's tail can be thousands of lines; the bound keeps its end.
  const detail = boundFailureDetail({ step: command.name, logTail: command.logsTail.slice(-100) });
  return saysAnything(detail) ? [{ taskId: task.id, taskName: task.name, taskUrl: cirrusTaskUrl(task.id), detail }] : [];
}
