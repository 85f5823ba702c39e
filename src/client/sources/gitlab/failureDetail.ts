/**
 * Why a GitLab job failed, through its REST API: GitLab's reason (`build_failure_reason` in the
 * job's hook, `failure_reason` in the job list) and the last lines of the job's log, read from its
 * end only (`GET /projects/:id/jobs/:job_id/trace`, see `readJobTraceTail`) and turned into the
 * lines its page shows. Where the engine knows no failed job yet, the pipeline's failed jobs are
 * listed first. Every request is asked of the token's {@link RateGate} first, so none is made
 * while the poller is paused for the rate limit or would be left short. A log that cannot be read
 * (no token with access, too long, too slow) costs only the log: the reason is still told.
 */
import { boundFailureDetail, FAILURE_DETAIL_LIMITS, saysAnything, type TaskFailure } from '../../../core/failureDetail.js';
import type { FailureDetailPort, FailureDetailRequest } from '../../../core/failureDetailPort.js';
import type { GitlabApi, JobTraceOptions } from '../../../providers/gitlab/api/client.js';
import { GitlabPermissionError, GitlabRateLimitError } from '../../../providers/gitlab/api/errors.js';
import { gitlabJobState } from '../../../providers/gitlab/status.js';
import { gitlabTraceLines } from '../../../providers/gitlab/traceLines.js';
import type { RateBudget, RateGate } from '../rateGate.js';

export interface GitlabFailureDetailOptions {
  /** The host of the pipeline pages this API serves (`gitlab.com`); undefined: any (the demo's simulator). */
  readonly webHost: string | undefined;
  readonly gate: RateGate;
  /** How much of a log is read, and for how long. Default: the client's (32 KiB of its end, 8 MiB and 10 s at most). */
  readonly trace?: Pick<JobTraceOptions, 'tailBytes' | 'maxBytes' | 'timeoutMs'>;
}

/** A failed job to explain: its reason where already known. */
interface FailedJob {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly reason: string | null;
}

export function createGitlabFailureDetail(api: Pick<GitlabApi, 'listPipelineJobs' | 'readJobTraceTail'>, options: GitlabFailureDetailOptions): FailureDetailPort {
  const { gate, webHost } = options;

  /** One request, if the gate lets it through; GitLab's "wait" reaches the gate (and so the poller). */
  const spend = <T extends { rateLimit: RateBudget }>(request: () => Promise<T>) =>
    gate.request(request, (error) => (error instanceof GitlabRateLimitError ? error.until : undefined));

  /** The pipeline's failed jobs (that fail it: not those allowed to fail), for a build whose jobs the engine does not know. */
  async function failedJobs(project: string, pipelineId: string): Promise<FailedJob[]> {
    const answer = await spend(() => api.listPipelineJobs(project, pipelineId, { scope: ['failed'] })).catch((error: unknown) => {
      // Jobs out of sight: nothing to explain, which is no failure of the detail.
      if (error instanceof GitlabPermissionError) return undefined;
      throw error;
    });
    return (answer?.jobs ?? [])
      .filter((job) => gitlabJobState(job.status, job.allow_failure ?? false) === 'failed')
      .slice(0, 3)
      .map((job) => ({ id: job.id, name: job.name, url: job.web_url, reason: job.failure_reason ?? null }));
  }

  /** The last lines of the job's log as its page shows them; none when it cannot be read. */
  async function logTail(project: string, jobId: string, signal: AbortSignal): Promise<string[]> {
    try {
      const answer = await spend(() => api.readJobTraceTail(project, jobId, { signal, ...options.trace }));
      if (answer === undefined || answer.kind === 'unavailable') return [];
      return gitlabTraceLines(answer.text, { fromStart: answer.fromStart }).slice(-FAILURE_DETAIL_LIMITS.logLines);
    } catch {
      // Too slow, refused midway, limited (the gate has noted it): the reason is worth telling without the log.
      return [];
    }
  }

  async function explain(project: string, job: FailedJob, signal: AbortSignal): Promise<TaskFailure | null> {
    const detail = boundFailureDetail({ reason: job.reason, logTail: await logTail(project, job.id, signal) });
    return saysAnything(detail) ? { taskId: job.id, taskName: job.name, taskUrl: job.url, detail } : null;
  }

  return {
    supports: (build) => build.provider === 'gitlab' && (webHost === undefined || hostOf(build.buildUrl) === webHost),
    async fetch(request: FailureDetailRequest, signal) {
      // The repository is the project's full path (subgroups in the owner), which the API takes.
      const project = `${request.repository.owner}/${request.repository.name}`;
      const jobs: FailedJob[] =
        request.tasks.length > 0
          ? request.tasks.map((task) => ({ id: task.id, name: task.name, url: task.url, reason: task.known?.reason ?? null }))
          : await failedJobs(project, request.buildId);
      // At most three jobs (the engine's bound): their logs are read side by side, each bounded in bytes and time.
      const failures = await Promise.all(jobs.map((job) => explain(project, job, signal)));
      return failures.filter((failure): failure is TaskFailure => failure !== null);
    },
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
