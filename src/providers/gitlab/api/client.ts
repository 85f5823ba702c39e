/**
 * The GitLab REST v4 client for what a notifier needs: a project, its pipelines updated since a
 * time, the jobs of a pipeline, the end of a job's log, and the two write actions, play a manual
 * job and retry a pipeline's failed jobs. Every answer is parsed losslessly (ids past 2^53 keep their digits) and
 * with zod, every failure is a typed error from `errors.ts`, and the transport comes in through
 * the options. Works against gitlab.com, a self-managed instance and the simulator alike.
 */
import type { z } from 'zod';
import { parseJsonLosslessly } from '../../../core/json.js';
import type { Clock } from '../../../core/ports.js';
import { describeZodError } from '../../../core/validation.js';
import { GITLAB_API, gitlabWebOfApi } from '../links.js';
import { isProjectPath } from '../payload.js';
import type { GitlabStatus } from '../status.js';
import {
  GitlabApiError,
  GitlabHttpError,
  GitlabNetworkError,
  GitlabPermissionError,
  GitlabRateLimitError,
  GitlabResponseError,
  type GitlabScope,
} from './errors.js';
import { readBodyTail } from './bodyTail.js';
import { gitlabLimitedUntil, readGitlabRateLimit, type RateLimit } from './rateLimit.js';
import {
  apiErrorBodySchema,
  apiJobListSchema,
  apiPipelineListSchema,
  apiProjectSchema,
  type ApiJob,
  type ApiPipeline,
  type ApiProject,
} from './responses.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface GitlabApiOptions {
  /** The REST API base. Default `https://gitlab.com/api/v4`; self-managed: `https://<host>/api/v4`; the simulator's URL. */
  readonly baseUrl?: string;
  /** A personal, project or group access token, sent as `PRIVATE-TOKEN`. Default none: public projects only. */
  readonly token?: string;
  /** Default: the global fetch. */
  readonly fetch?: FetchLike;
  /** Abort a request after this many ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Default: Date.now. */
  readonly clock?: Clock;
}

/**
 * A project as the API addresses it: its numeric id, or its full path (`group/subgroup/project`),
 * which the client URL-encodes (`group%2Fsubgroup%2Fproject`).
 */
export type GitlabProjectRef = string;

export type ProjectLookup =
  | { readonly kind: 'found'; readonly project: ApiProject; readonly rateLimit: RateLimit }
  /** 404: no such project, or a private one this token (or no token) cannot see. */
  | { readonly kind: 'not_found'; readonly rateLimit: RateLimit };

export type PipelineListing =
  /** The pipelines, most recently updated first. */
  | { readonly kind: 'listed'; readonly pipelines: readonly ApiPipeline[]; readonly rateLimit: RateLimit }
  | { readonly kind: 'not_found'; readonly rateLimit: RateLimit };

export interface JobListing {
  readonly jobs: readonly ApiJob[];
  readonly rateLimit: RateLimit;
}

export type JobTraceTail =
  /**
   * The end of the job's log, as raw text (the runner's escape codes and section markers in it):
   * the whole log when `fromStart`, else its last bytes, whose first line is cut.
   */
  | { readonly kind: 'tail'; readonly text: string; readonly fromStart: boolean; readonly rateLimit: RateLimit }
  /**
   * No log to show: `refused` (401, 403, 404: no token, one without access, or a job out of
   * sight) or `too_long` (the server sent the whole log, and it ran past the read cap before its end).
   */
  | { readonly kind: 'unavailable'; readonly why: 'refused' | 'too_long'; readonly rateLimit: RateLimit };

export interface JobTraceOptions {
  readonly signal?: AbortSignal;
  /** Bytes of the log's end asked for and kept. Default {@link TRACE_TAIL_BYTES}. */
  readonly tailBytes?: number;
  /** Bytes read at most when the server sends the whole log. Default {@link TRACE_MAX_BYTES}. */
  readonly maxBytes?: number;
  /** Gives up (a GitlabNetworkError) when the end has not arrived by then. Default {@link TRACE_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Enough for the last lines of a log, colour codes and section markers included. */
export const TRACE_TAIL_BYTES = 32 * 1024;
/** A log longer than this is not read to its end: its last lines stay on the job's page. */
export const TRACE_MAX_BYTES = 8 * 1024 * 1024;
/** Well inside the engine's bound on a failure detail, so the reason still arrives without the log. */
export const TRACE_TIMEOUT_MS = 10_000;

export interface GitlabApi {
  /** True when requests carry a token. */
  readonly authenticated: boolean;
  /** The API base in use, without a trailing slash. */
  readonly baseUrl: string;
  /** `GET /projects/:id`: the project's id, full path, page and visibility. */
  getProject(project: GitlabProjectRef): Promise<ProjectLookup>;
  /**
   * `GET /projects/:id/pipelines`, most recently updated first; with `updatedAfter` (an ISO time
   * as GitLab wrote it) only the pipelines updated after it.
   */
  listPipelines(project: GitlabProjectRef, options?: { updatedAfter?: string | null; perPage?: number; page?: number }): Promise<PipelineListing>;
  /** `GET /projects/:id/pipelines/:pipeline_id/jobs`: the pipeline's latest jobs (retried ones left out), optionally of some statuses only. */
  listPipelineJobs(project: GitlabProjectRef, pipelineId: string, options?: { scope?: readonly GitlabStatus[]; perPage?: number }): Promise<JobListing>;
  /**
   * `GET /projects/:id/jobs/:job_id/trace`, from its end only: asks for the last bytes with
   * `Range: bytes=-N` and, where the server sends the whole log anyway (GitLab's API does), reads
   * it through keeping only its end, up to a cap on bytes and on time. A refusal is no log, not
   * an error; a 429 is a GitlabRateLimitError, like any other request's.
   */
  readJobTraceTail(project: GitlabProjectRef, jobId: string, options?: JobTraceOptions): Promise<JobTraceTail>;
  /** `POST /projects/:id/jobs/:job_id/play`: starts a manual job (needs the api scope and the Developer role). */
  playJob(project: GitlabProjectRef, jobId: string): Promise<void>;
  /** `POST /projects/:id/pipelines/:pipeline_id/retry`: retries the pipeline's failed and canceled jobs (needs the api scope and the Developer role). */
  retryPipeline(project: GitlabProjectRef, pipelineId: string): Promise<void>;
}

/** Pipelines per listing: enough for a busy project between two polls. */
export const DEFAULT_PIPELINES_PER_PAGE = 20;
/** Jobs per listing: GitLab's maximum page, so one request covers almost every pipeline. */
export const DEFAULT_JOBS_PER_PAGE = 100;

/** Creates the client. Throws a TypeError at once on a base URL that is not http(s). */
export function createGitlabApi(options: GitlabApiOptions = {}): GitlabApi {
  const baseUrl = (options.baseUrl ?? GITLAB_API).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new TypeError(`GitLab API base must be an http(s) URL such as https://gitlab.com/api/v4, got '${options.baseUrl}'`);
  }
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const token = options.token !== undefined && options.token.length > 0 ? options.token : undefined;
  const web = gitlabWebOfApi(baseUrl);

  function headersWith(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'buildbell', ...extra };
    if (token !== undefined) headers['private-token'] = token;
    return headers;
  }

  function unreachable(error: unknown): GitlabNetworkError {
    return new GitlabNetworkError(`GitLab API unreachable at ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }

  async function send(method: 'GET' | 'POST', path: string): Promise<{ response: Response; text: string }> {
    try {
      const response = await doFetch(`${baseUrl}${path}`, { method, headers: headersWith({}), signal: AbortSignal.timeout(timeoutMs) });
      return { response, text: await response.text() };
    } catch (error) {
      throw unreachable(error);
    }
  }

  async function readJobTraceTail(project: GitlabProjectRef, jobId: string, traceOptions: JobTraceOptions = {}): Promise<JobTraceTail> {
    const path = `${projectPath(project)}/jobs/${digits(jobId, 'job')}/trace`;
    const tailBytes = traceOptions.tailBytes ?? TRACE_TAIL_BYTES;
    const maxBytes = Math.max(tailBytes, traceOptions.maxBytes ?? TRACE_MAX_BYTES);
    const limitMs = traceOptions.timeoutMs ?? TRACE_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(limitMs);
    const signal = traceOptions.signal ? AbortSignal.any([traceOptions.signal, deadline]) : deadline;
    const action = `read the log of job ${jobId} of ${project}`;
    try {
      const response = await doFetch(`${baseUrl}${path}`, { method: 'GET', headers: headersWith({ accept: 'text/plain', range: `bytes=-${tailBytes}` }), signal });
      const rateLimit = readGitlabRateLimit(response.headers);
      if (response.status === 401 || response.status === 403 || response.status === 404) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'unavailable', why: 'refused', rateLimit };
      }
      // Nothing at the end of an empty log.
      if (response.status === 416) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'tail', text: '', fromStart: true, rateLimit };
      }
      if (!response.ok) {
        // An error page is read only as far as its first few kilobytes, whatever it claims.
        const page = await readBodyTail(response.body, { tailBytes: 4096, maxBytes: 4096 }).catch(() => undefined);
        fail(response, page?.kind === 'tail' ? new TextDecoder().decode(page.bytes) : '', action, 'read_api');
      }
      const tail = await readBodyTail(response.body, { tailBytes, maxBytes });
      if (tail.kind === 'too_long') return { kind: 'unavailable', why: 'too_long', rateLimit };
      // 206: the server sent the range asked for, which starts the log only if the log is that short.
      const fromStart = response.status === 206 ? rangeStart(response.headers.get('content-range')) === 0 : tail.total <= tailBytes;
      return { kind: 'tail', text: new TextDecoder().decode(tail.bytes), fromStart, rateLimit };
    } catch (error) {
      if (error instanceof GitlabApiError) throw error;
      if (deadline.aborted) throw new GitlabNetworkError(`Cannot ${action}: its end did not arrive within ${limitMs} ms`);
      throw unreachable(error);
    }
  }

  /** Throws the typed error for a failed answer: the rate limit first, then refusals, then the rest. */
  function fail(response: Response, text: string, action: string, scope: GitlabScope): never {
    const body = errorBody(text);
    const detail = body.detail ?? `HTTP ${response.status}`;
    const until = gitlabLimitedUntil(response.status, response.headers, clock());
    if (until !== null) throw new GitlabRateLimitError(until, detail);
    if (response.status === 401) throw new GitlabPermissionError(action, 'token', scope, token !== undefined, detail, web);
    // A job that is not manual (any more) answers 403 too; that is no lack of rights.
    if (response.status === 403 && !/unplayable/i.test(detail)) {
      throw new GitlabPermissionError(action, body.insufficientScope ? 'scope' : 'role', scope, token !== undefined, detail, web);
    }
    if (response.status === 404) throw new GitlabPermissionError(action, 'not_found', scope, token !== undefined, detail, web);
    throw new GitlabHttpError(response.status, `Cannot ${action}: GitLab answered ${response.status} (${detail})`);
  }

  async function get<T>(path: string, schema: z.ZodType<T>, action: string): Promise<{ data: T; rateLimit: RateLimit } | { data: null; rateLimit: RateLimit }> {
    const { response, text } = await send('GET', path);
    const rateLimit = readGitlabRateLimit(response.headers);
    if (response.status === 404) return { data: null, rateLimit };
    if (!response.ok) fail(response, text, action, 'read_api');
    const parsed = schema.safeParse(parseJson(text, action));
    if (!parsed.success) throw new GitlabResponseError(`unexpected GitLab answer to ${action}: ${describeZodError(parsed.error)}`);
    return { data: parsed.data, rateLimit };
  }

  async function post(path: string, action: string): Promise<void> {
    const { response, text } = await send('POST', path);
    if (!response.ok) fail(response, text, action, 'api');
  }

  return {
    authenticated: token !== undefined,
    baseUrl,
    async getProject(project) {
      const answer = await get(projectPath(project), apiProjectSchema, `read the project ${project}`);
      return answer.data === null ? { kind: 'not_found', rateLimit: answer.rateLimit } : { kind: 'found', project: answer.data, rateLimit: answer.rateLimit };
    },
    async listPipelines(project, listOptions = {}) {
      const query = new URLSearchParams({ order_by: 'updated_at', sort: 'desc', per_page: String(listOptions.perPage ?? DEFAULT_PIPELINES_PER_PAGE) });
      if (listOptions.updatedAfter) query.set('updated_after', listOptions.updatedAfter);
      if (listOptions.page !== undefined && listOptions.page > 1) query.set('page', String(listOptions.page));
      const answer = await get(`${projectPath(project)}/pipelines?${query}`, apiPipelineListSchema, `list the pipelines of ${project}`);
      return answer.data === null ? { kind: 'not_found', rateLimit: answer.rateLimit } : { kind: 'listed', pipelines: answer.data, rateLimit: answer.rateLimit };
    },
    async listPipelineJobs(project, pipelineId, listOptions = {}) {
      const action = `list the jobs of pipeline ${pipelineId} of ${project}`;
      const query = new URLSearchParams({ per_page: String(listOptions.perPage ?? DEFAULT_JOBS_PER_PAGE) });
      for (const status of listOptions.scope ?? []) query.append('scope[]', status);
      const answer = await get(`${projectPath(project)}/pipelines/${digits(pipelineId, 'pipeline')}/jobs?${query}`, apiJobListSchema, action);
      // The project was seen, so a 404 here is the pipeline gone (deleted) or out of sight.
      if (answer.data === null) throw new GitlabPermissionError(action, 'not_found', 'read_api', token !== undefined, 'HTTP 404', web);
      return { jobs: answer.data, rateLimit: answer.rateLimit };
    },
    readJobTraceTail,
    // async, so a bad id is a rejected promise like any other failure, never a synchronous throw.
    playJob: async (project, jobId) => post(`${projectPath(project)}/jobs/${digits(jobId, 'job')}/play`, `start the manual job ${jobId} of ${project}`),
    retryPipeline: async (project, pipelineId) =>
      post(`${projectPath(project)}/pipelines/${digits(pipelineId, 'pipeline')}/retry`, `retry the failed jobs of pipeline ${pipelineId} of ${project}`),
  };
}

/** `/projects/<id or encoded path>`; a TypeError for anything else, before it reaches a URL. */
function projectPath(project: GitlabProjectRef): string {
  if (!/^\d{1,40}$/.test(project) && !isProjectPath(project)) throw new TypeError(`a GitLab project is its id or its full path (group/project), got '${project}'`);
  return `/projects/${encodeURIComponent(project)}`;
}

function digits(id: string, what: string): string {
  if (!/^\d{1,40}$/.test(id)) throw new TypeError(`a GitLab ${what} id is digits, got '${id}'`);
  return id;
}

/** Where a `Content-Range: bytes <start>-<end>/<size>` answer starts; null when it says nothing readable. */
function rangeStart(header: string | null): number | null {
  const match = /^bytes (\d{1,15})-\d{1,15}\/(?:\d{1,15}|\*)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

function parseJson(text: string, action: string): unknown {
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new GitlabResponseError(`GitLab's answer to ${action} is not JSON: ${JSON.stringify(text.slice(0, 100))}`);
  }
}

/** What GitLab said in an error body, cut; and whether it is OAuth's insufficient_scope. */
function errorBody(text: string): { detail: string | undefined; insufficientScope: boolean } {
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { detail: undefined, insufficientScope: false };
    const { message, error, error_description: description } = parsed.data;
    const said = typeof message === 'string' ? message : message !== undefined ? JSON.stringify(message) : (description ?? error);
    return { detail: said?.slice(0, 300), insufficientScope: error === 'insufficient_scope' };
  } catch {
    return { detail: undefined, insufficientScope: false };
  }
}
