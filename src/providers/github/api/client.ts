/**
 * The GitHub REST client for what a notifier needs: list a repository's recent workflow runs
 * (conditionally, with the ETag of the last answer) and the two write actions, approve a fork's
 * run and re-run its failed jobs. Every answer is parsed with zod, every failure is a typed error
 * from `errors.ts`, and the transport comes in through the options.
 */
import { z } from 'zod';
import { parseJsonLosslessly } from '../../../core/json.js';
import type { Clock } from '../../../core/ports.js';
import { describeZodError } from '../../../core/validation.js';
import { GITHUB_API, GITHUB_WEB } from '../links.js';
import { githubJobSchema, githubRepositorySchema, githubRunSchema, type GithubJob, type GithubRepository, type GithubRun } from '../payload.js';
import {
  GithubHttpError,
  GithubNetworkError,
  GithubPermissionError,
  GithubRateLimitError,
  GithubResponseError,
} from './errors.js';
import { limitedUntil, readRateLimit, type RateLimit } from './rateLimit.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface GithubApiOptions {
  /** The REST API base. Default `https://api.github.com`; GHES: `https://<host>/api/v3`; the simulator's URL. */
  readonly baseUrl?: string;
  /** Where tokens are made, for permission advice. Default `https://github.com`. */
  readonly webUrl?: string;
  /** A personal access token, sent as `Authorization: Bearer`. Default none: public repositories only, 60 requests an hour. */
  readonly token?: string;
  /** Default: the global fetch. */
  readonly fetch?: FetchLike;
  /** Abort a request after this many ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Default: Date.now. */
  readonly clock?: Clock;
}

/** One run as the listing shows it, with its repository. */
export interface ListedRun {
  readonly repository: GithubRepository;
  readonly run: GithubRun;
}

export type RunListing =
  /** New content: the runs, newest first, and the ETag to send next time. */
  | { readonly kind: 'modified'; readonly runs: readonly ListedRun[]; readonly etag: string | null; readonly rateLimit: RateLimit }
  /** 304: nothing changed since `etag` (and, with a token, it cost nothing against the limit). */
  | { readonly kind: 'not_modified'; readonly rateLimit: RateLimit }
  /** 404: no such repository, or a private one this token (or no token) cannot see. */
  | { readonly kind: 'not_found'; readonly rateLimit: RateLimit };

export interface GithubRepositoryRef {
  readonly owner: string;
  readonly name: string;
}

export interface GithubApi {
  /** True when requests carry a token (304s are then free, and the limit is 5 000 an hour). */
  readonly authenticated: boolean;
  /** The latest runs of a repository, conditional on `etag` when given. */
  listRuns(repository: GithubRepositoryRef, options?: { etag?: string | null; perPage?: number }): Promise<RunListing>;
  /** Approves a fork pull request's run that waits for approval (needs Actions: Read and write). */
  approveRun(repository: GithubRepositoryRef, runId: string): Promise<void>;
  /** Re-runs the failed jobs of a finished run, and the jobs they depend on (needs Actions: Read and write). */
  rerunFailedJobs(repository: GithubRepositoryRef, runId: string): Promise<void>;
  /** The jobs of a run's latest attempt, with their steps (needs Actions: Read for a private repository). */
  listRunJobs(repository: GithubRepositoryRef, runId: string, options?: { signal?: AbortSignal }): Promise<{ jobs: GithubJob[]; rateLimit: RateLimit }>;
  /**
   * The annotations of a check run, in GitHub's order; a job's id is its check run's. Needs a
   * token that may read checks (for a private repository, Checks: Read or the repo scope).
   */
  listAnnotations(repository: GithubRepositoryRef, checkRunId: string, options?: { signal?: AbortSignal }): Promise<{ annotations: GithubAnnotation[]; rateLimit: RateLimit }>;
}

/** One check-run annotation, as `GET /repos/{owner}/{repo}/check-runs/{id}/annotations` lists it. */
export const githubAnnotationSchema = z.looseObject({
  path: z.string().nullish(),
  start_line: z.number().int().nullish(),
  /** `notice`, `warning` or `failure`. */
  annotation_level: z.string().max(100).nullish(),
  title: z.string().nullish(),
  message: z.string().nullish(),
});
export type GithubAnnotation = z.infer<typeof githubAnnotationSchema>;

/** Runs per listing: enough for a busy repository between two polls. */
export const DEFAULT_RUNS_PER_PAGE = 20;

const listingSchema = z.looseObject({
  workflow_runs: z.array(githubRunSchema.extend({ repository: githubRepositorySchema })),
});
const errorBodySchema = z.looseObject({ message: z.string().optional() });
const jobsSchema = z.looseObject({ jobs: z.array(githubJobSchema) });
const annotationsSchema = z.array(githubAnnotationSchema).max(1000);
/** Jobs per page: a run with more than this many jobs is rare, and its failures are among the first. */
const JOBS_PER_PAGE = 100;
/** Annotations asked for: the first failures are what a notification shows. */
const ANNOTATIONS_PER_PAGE = 50;

/** Creates the client. Throws a TypeError at once on a base URL that is not http(s). */
export function createGithubApi(options: GithubApiOptions = {}): GithubApi {
  const baseUrl = (options.baseUrl ?? GITHUB_API).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new TypeError(`GitHub API base must be an http(s) URL, got '${options.baseUrl}'`);
  }
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const token = options.token !== undefined && options.token.length > 0 ? options.token : undefined;
  const web = options.webUrl ?? GITHUB_WEB;

  async function send(method: 'GET' | 'POST', path: string, extra: Record<string, string> = {}, signal?: AbortSignal): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      // GitHub refuses requests without a User-Agent.
      'user-agent': 'buildbell',
      ...extra,
    };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await doFetch(`${baseUrl}${path}`, { method, headers, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
      return { response, text: await response.text() };
    } catch (error) {
      throw new GithubNetworkError(`GitHub API unreachable at ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Throws the typed error for a failed answer: rate limit first, since GitHub sends those as 403 too. */
  function fail(response: Response, text: string, action: string, needs: GithubPermissionError['needs']): never {
    const detail = messageOf(text) ?? `HTTP ${response.status}`;
    const until = limitedUntil(response.status, response.headers, clock());
    if (until !== null) throw new GithubRateLimitError(until, detail);
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      throw new GithubPermissionError(action, needs, token !== undefined, detail, web);
    }
    throw new GithubHttpError(response.status, `Cannot ${action}: GitHub answered ${response.status} (${detail})`);
  }

  async function post(repository: GithubRepositoryRef, runId: string, verb: 'approve' | 'rerun-failed-jobs', action: string): Promise<void> {
    if (!/^\d{1,20}$/.test(runId)) throw new TypeError(`a GitHub run id is digits, got '${runId}'`);
    const { response, text } = await send('POST', `${repoPath(repository)}/actions/runs/${runId}/${verb}`);
    if (!response.ok) fail(response, text, action, 'Actions: Read and write');
  }

  return {
    authenticated: token !== undefined,
    async listRuns(repository, listOptions = {}) {
      const perPage = listOptions.perPage ?? DEFAULT_RUNS_PER_PAGE;
      const extra: Record<string, string> = listOptions.etag ? { 'if-none-match': listOptions.etag } : {};
      const { response, text } = await send('GET', `${repoPath(repository)}/actions/runs?per_page=${perPage}`, extra);
      const rateLimit = readRateLimit(response.headers);
      if (response.status === 304) return { kind: 'not_modified', rateLimit };
      if (response.status === 404 && limitedUntil(404, response.headers, clock()) === null) return { kind: 'not_found', rateLimit };
      if (!response.ok) fail(response, text, `list the runs of ${slug(repository)}`, 'Actions: Read');
      const parsed = listingSchema.safeParse(parseJson(text, slug(repository)));
      if (!parsed.success) throw new GithubResponseError(`unexpected GitHub runs listing for ${slug(repository)}: ${describeZodError(parsed.error)}`);
      return {
        kind: 'modified',
        runs: parsed.data.workflow_runs.map(({ repository: repo, ...run }) => ({ repository: repo, run: run as GithubRun })),
        etag: response.headers.get('etag'),
        rateLimit,
      };
    },
    async listRunJobs(repository, runId, jobOptions = {}) {
      if (!/^\d{1,20}$/.test(runId)) throw new TypeError(`a GitHub run id is digits, got '${runId}'`);
      const what = `the jobs of run ${runId} of ${slug(repository)}`;
      const { response, text } = await send('GET', `${repoPath(repository)}/actions/runs/${runId}/jobs?filter=latest&per_page=${JOBS_PER_PAGE}`, {}, jobOptions.signal);
      if (!response.ok) fail(response, text, `list ${what}`, 'Actions: Read');
      const parsed = jobsSchema.safeParse(parseJson(text, what));
      if (!parsed.success) throw new GithubResponseError(`unexpected GitHub answer for ${what}: ${describeZodError(parsed.error)}`);
      return { jobs: parsed.data.jobs as GithubJob[], rateLimit: readRateLimit(response.headers) };
    },
    async listAnnotations(repository, checkRunId, annotationOptions = {}) {
      if (!/^\d{1,20}$/.test(checkRunId)) throw new TypeError(`a GitHub check run id is digits, got '${checkRunId}'`);
      const what = `the annotations of check run ${checkRunId} of ${slug(repository)}`;
      const { response, text } = await send('GET', `${repoPath(repository)}/check-runs/${checkRunId}/annotations?per_page=${ANNOTATIONS_PER_PAGE}`, {}, annotationOptions.signal);
      if (!response.ok) fail(response, text, `read ${what}`, 'Actions: Read');
      const parsed = annotationsSchema.safeParse(parseJson(text, what));
      if (!parsed.success) throw new GithubResponseError(`unexpected GitHub answer for ${what}: ${describeZodError(parsed.error)}`);
      return { annotations: parsed.data, rateLimit: readRateLimit(response.headers) };
    },
    approveRun: (repository, runId) => post(repository, runId, 'approve', `approve run ${runId} of ${slug(repository)}`),
    rerunFailedJobs: (repository, runId) =>
      post(repository, runId, 'rerun-failed-jobs', `re-run the failed jobs of run ${runId} of ${slug(repository)}`),
  };
}

function repoPath(repository: GithubRepositoryRef): string {
  return `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)}`;
}

function slug(repository: GithubRepositoryRef): string {
  return `${repository.owner}/${repository.name}`;
}

function parseJson(text: string, what: string): unknown {
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new GithubResponseError(`GitHub's answer for ${what} is not JSON: ${text.slice(0, 100)}`);
  }
}

function messageOf(text: string): string | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.message?.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
