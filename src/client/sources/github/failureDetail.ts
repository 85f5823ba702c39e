/**
 * Why a GitHub run failed, through its REST API: the failed jobs' failed steps (from the run's
 * job list, unless the jobs' webhooks already said) and the first job's first failure annotation
 * (`GET /repos/{owner}/{repo}/check-runs/{job_id}/annotations`: message, path and line). Only
 * with a token: the 60 requests an hour GitHub allows without one are the poller's. Every request
 * is asked of the shared {@link RateGate} first, so none is made while the poller is paused
 * for the rate limit or would be left short; GitHub's own log download (a redirect to a zip) is
 * not fetched.
 */
import type { FailureDetailPort, FailureDetailRequest } from '../../../core/failureDetailPort.js';
import { boundFailureDetail, saysAnything, type FailureDetail, type TaskFailure } from '../../../core/failureDetail.js';
import type { GithubAnnotation, GithubApi } from '../../../providers/github/api/client.js';
import { GithubRateLimitError } from '../../../providers/github/api/errors.js';
import { githubJobFailure } from '../../../providers/github/normalise.js';
import { githubJobState } from '../../../providers/github/status.js';
import type { RateBudget, RateGate } from '../rateGate.js';

export interface GithubFailureDetailOptions {
  /** The host of the run pages this API serves (`github.com`); undefined: any (the demo's simulator). */
  readonly webHost: string | undefined;
  readonly gate: RateGate;
}

/** The runner's own annotation on every failed step: true, and says less than a problem matcher's. */
const RUNNER_PATH = '.github';

export function createGithubFailureDetail(
  api: Pick<GithubApi, 'authenticated' | 'listRunJobs' | 'listAnnotations'>,
  options: GithubFailureDetailOptions,
): FailureDetailPort {
  const { gate, webHost } = options;

  /** One request, if the gate lets it through; GitHub's "wait" reaches the gate (and so the poller). */
  const spend = <T extends { rateLimit: RateBudget }>(request: () => Promise<T>) =>
    gate.request(request, (error) => (error instanceof GithubRateLimitError ? error.until : undefined));

  async function failedJobs(request: FailureDetailRequest, signal: AbortSignal): Promise<TaskFailure[]> {
    const wanted = new Set(request.tasks.map((task) => task.id));
    const answer = await spend(() => api.listRunJobs(request.repository, request.buildId, { signal }));
    if (answer === undefined) return [];
    return answer.jobs
      .filter((job) => ['failed', 'errored'].includes(githubJobState(job.status, job.conclusion)) && (wanted.size === 0 || wanted.has(job.id)))
      .map((job) => ({ taskId: job.id, taskName: job.name, taskUrl: job.html_url ?? request.buildUrl, detail: githubJobFailure(job) ?? boundFailureDetail({}) }));
  }

  return {
    supports: (build) => build.provider === 'github' && (webHost === undefined || hostOf(build.buildUrl) === webHost),
    async fetch(request, signal) {
      if (!api.authenticated) return [];
      const allKnown = request.tasks.length > 0 && request.tasks.every((task) => task.known?.step);
      const failures: TaskFailure[] = allKnown
        ? request.tasks.map((task) => ({ taskId: task.id, taskName: task.name, taskUrl: task.url, detail: task.known! }))
        : await failedJobs(request, signal);
      const first = failures[0];
      if (first !== undefined) {
        // The steps are worth showing without it: a token without Checks: Read (403), or a limit
        // reached now (the gate has noted it), costs only the annotation.
        const answer = await spend(() => api.listAnnotations(request.repository, first.taskId, { signal })).catch(() => undefined);
        const annotation = answer === undefined ? undefined : firstFailure(answer.annotations);
        if (annotation) failures[0] = { ...first, detail: withAnnotation(first.detail, annotation) };
      }
      return failures.filter((failure) => saysAnything(failure.detail));
    },
  };
}

/** The first failure annotation, preferring one on a file to the runner's "Process completed with exit code 1." */
function firstFailure(annotations: readonly GithubAnnotation[]): GithubAnnotation | undefined {
  const failures = annotations.filter((annotation) => annotation.annotation_level === 'failure' && (annotation.message ?? '').trim() !== '');
  return failures.find((annotation) => annotation.path && annotation.path !== RUNNER_PATH) ?? failures[0];
}

function withAnnotation(detail: FailureDetail, annotation: GithubAnnotation): FailureDetail {
  const path = annotation.path && annotation.path !== RUNNER_PATH ? annotation.path : null;
  const bounded = boundFailureDetail({ annotation: { message: annotation.message ?? '', path, line: path === null ? null : (annotation.start_line ?? null) } });
  return { ...detail, annotation: bounded.annotation };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
