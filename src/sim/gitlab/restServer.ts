/**
 * The simulated GitLab REST v4 API, for the poller and the actions: node:http on 127.0.0.1
 * answering under `/api/v4` `GET /projects/:id`, `GET /projects/:id/pipelines` (`updated_after`,
 * `order_by`, `sort`, `per_page`, `page`), `GET /projects/:id/pipelines/:pipeline_id/jobs` (`scope[]`,
 * `include_retried`), `GET /projects/:id/jobs/:job_id/trace` (the whole log, streamed: GitLab's
 * endpoint sends `build.trace.raw` and honours no Range), `POST /projects/:id/jobs/:job_id/play` and
 * `POST /projects/:id/pipelines/:pipeline_id/retry`, with GitLab's refusals (401, 403 with
 * insufficient_scope, 404 for what a caller may not see) and rate-limit headers. A project is
 * addressed by id or URL-encoded full path, as on GitLab.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Logger } from '../../core/ports.js';
import { gitlabStatusSchema } from '../../providers/gitlab/status.js';
import type { SimToken } from '../access.js';
import { closeNow, listenOn } from '../listen.js';
import type { GitlabDirector } from './director.js';
import { simJobTrace } from './jobTrace.js';
import { apiJob, apiPipeline, apiProject } from './restObjects.js';
import type { SimGitlabRateLimiter } from './rateLimiter.js';
import type { SimGitlabJob, SimGitlabPipeline, SimGitlabProject, SimGitlabWorld } from './world.js';
import { projectFullPath } from './world.js';

export interface GitlabRestServerOptions {
  readonly world: SimGitlabWorld;
  readonly director: GitlabDirector;
  readonly limiter: SimGitlabRateLimiter;
  readonly tokens: readonly SimToken[];
  readonly logger: Logger;
  /** Brings the world up to now before a request is answered. */
  readonly catchUp: () => void;
  /** Default 0 (any free port). */
  readonly port?: number;
}

export interface GitlabRestServer {
  /** `http://127.0.0.1:<port>/api/v4`: the base URL to give the client instead of https://gitlab.com/api/v4. */
  readonly url: string;
  /** Requests answered so far, by kind. */
  stats(): { requests: number; pipelineListings: number; jobListings: number; traceReads: number };
  /** The next `count` requests answer `status` (default 503): for backoff tests. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const PROJECT = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/;
const JOB_PLAY = /^\/jobs\/(\d{1,15})\/play$/;
const PIPELINE_RETRY = /^\/pipelines\/(\d{1,15})\/retry$/;
const PIPELINE_JOBS = /^\/pipelines\/(\d{1,15})\/jobs$/;
const JOB_TRACE = /^\/jobs\/(\d{1,15})\/trace$/;

type Caller = { readonly token: SimToken | null } | 'invalid';

export async function startGitlabRestServer(options: GitlabRestServerOptions): Promise<GitlabRestServer> {
  const { world, director, limiter } = options;
  let requests = 0;
  let pipelineListings = 0;
  let jobListings = 0;
  let traceReads = 0;
  let faults: { remaining: number; status: number } | undefined;

  const server = createServer((request, response) => {
    requests += 1;
    try {
      handle(request, response);
    } catch (error) {
      options.logger.error('simulated GitLab API failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) answer(response, 500, { message: '500 Internal Server Error' });
    }
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://sim.invalid');
    if (faults && faults.remaining > 0) {
      faults.remaining -= 1;
      return answer(response, faults.status, { message: `${faults.status} simulated failure` });
    }
    const caller = callerOf(request, options.tokens);
    if (caller === 'invalid') return answer(response, 401, { message: '401 Unauthorized' });
    const key = caller.token?.token ?? null;
    if (!limiter.take(key)) {
      // GitLab's rack-attack answer: plain text, with the headers saying when to come back.
      response.writeHead(429, { 'content-type': 'text/plain', ...limiter.headers(key) });
      return void response.end('Retry later\n');
    }
    const reply = (status: number, body: unknown) => answer(response, status, body, limiter.headers(key));
    options.catchUp();

    const match = PROJECT.exec(url.pathname);
    if (!match) return reply(404, { error: '404 Not Found' });
    let ref: string;
    try {
      ref = decodeURIComponent(match[1]!);
    } catch {
      return reply(404, { message: '404 Project Not Found' });
    }
    const project = world.project(ref);
    const rest = match[2] ?? '';
    if (project === undefined || !canSee(caller.token, project)) return reply(404, { message: '404 Project Not Found' });

    if (request.method === 'GET') {
      if (rest === '') return reply(200, apiProject(project));
      if (rest === '/pipelines') {
        pipelineListings += 1;
        return listPipelines(project, url.searchParams, reply);
      }
      const jobs = PIPELINE_JOBS.exec(rest);
      if (jobs) {
        jobListings += 1;
        const pipeline = world.pipelines.get(Number(jobs[1]));
        if (pipeline === undefined || pipeline.project.id !== project.id) return reply(404, { message: '404 Not found' });
        const scopes = url.searchParams.getAll('scope[]').concat(url.searchParams.getAll('scope'));
        if (scopes.some((scope) => !gitlabStatusSchema.safeParse(scope).success)) return reply(400, { error: 'scope does not have a valid value' });
        const includeRetried = url.searchParams.get('include_retried') === 'true';
        const listed = pipeline.jobs
          .filter((job) => includeRetried || !job.retried)
          .filter((job) => scopes.length === 0 || scopes.includes(job.status))
          .sort((a, b) => b.id - a.id)
          .slice(0, perPage(url.searchParams));
        return reply(200, listed.map((job) => apiJob(pipeline, job)));
      }
      const trace = JOB_TRACE.exec(rest);
      if (trace) {
        const found = jobOf(project, Number(trace[1]));
        if (found === undefined) return reply(404, { message: '404 Not found' });
        traceReads += 1;
        return void streamTrace(response, found.pipeline, found.job, limiter.headers(key));
      }
      return reply(404, { error: '404 Not Found' });
    }

    if (request.method === 'POST') {
      const play = JOB_PLAY.exec(rest);
      const retry = PIPELINE_RETRY.exec(rest);
      if (!play && !retry) return reply(404, { error: '404 Not Found' });
      if (caller.token === null) return reply(401, { message: '401 Unauthorized' });
      if (caller.token.permission !== 'WRITE') {
        return reply(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' });
      }
      if (!covers(caller.token, project)) return reply(403, { message: '403 Forbidden' });
      if (play) {
        const found = jobOf(project, Number(play[1]));
        if (found === undefined) return reply(404, { message: '404 Not found' });
        if (!director.play(found.pipeline, found.job)) return reply(400, { message: '400 Bad request - Unplayable Job' });
        return reply(200, apiJob(found.pipeline, found.job));
      }
      const pipeline = world.pipelines.get(Number(retry![1]));
      if (pipeline === undefined || pipeline.project.id !== project.id) return reply(404, { message: '404 Not found' });
      // Nothing failed: GitLab retries nothing and still answers with the pipeline.
      director.retry(pipeline);
      return reply(201, apiPipeline(pipeline));
    }
    return reply(405, { error: '405 Method Not Allowed' });
  }

  function jobOf(project: SimGitlabProject, jobId: number): { pipeline: SimGitlabPipeline; job: SimGitlabJob } | undefined {
    return [...world.pipelines.values()].filter((p) => p.project.id === project.id).flatMap((p) => p.jobs.map((job) => ({ pipeline: p, job }))).find(({ job }) => job.id === jobId);
  }

  function listPipelines(project: SimGitlabProject, query: URLSearchParams, reply: (status: number, body: unknown) => void): void {
    const after = query.get('updated_after');
    const afterMs = after === null ? null : Date.parse(after);
    if (afterMs !== null && !Number.isFinite(afterMs)) return reply(400, { error: 'updated_after is invalid' });
    const orderBy = query.get('order_by') ?? 'id';
    const sort = query.get('sort') ?? 'desc';
    if (!['id', 'status', 'ref', 'updated_at', 'user_id'].includes(orderBy)) return reply(400, { error: 'order_by does not have a valid value' });
    if (sort !== 'asc' && sort !== 'desc') return reply(400, { error: 'sort does not have a valid value' });
    const key = (p: { id: number; updatedAt: number }) => (orderBy === 'updated_at' ? p.updatedAt : p.id);
    const listed = world
      .pipelinesOf(project)
      .filter((p) => afterMs === null || p.updatedAt > afterMs)
      .sort((a, b) => (sort === 'desc' ? key(b) - key(a) || b.id - a.id : key(a) - key(b) || a.id - b.id));
    const size = perPage(query);
    const page = Math.max(1, Math.min(10_000, Number(query.get('page') ?? 1) || 1));
    reply(200, listed.slice((page - 1) * size, page * size).map(apiPipeline));
  }

  const base = await listenOn(server, options.port);
  return {
    url: `${base}/api/v4`,
    stats: () => ({ requests, pipelineListings, jobListings, traceReads }),
    failNext(count, status = 503) {
      faults = { remaining: count, status };
    },
    close: () => closeNow(server),
  };
}

/** `PRIVATE-TOKEN: <t>` or `Authorization: Bearer <t>`, as GitLab takes them; a token it does not know is 401. */
function callerOf(request: IncomingMessage, tokens: readonly SimToken[]): Caller {
  const privateToken = request.headers['private-token'];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const given = typeof privateToken === 'string' && privateToken !== '' ? privateToken : bearer;
  if (given === undefined) return request.headers.authorization ? 'invalid' : { token: null };
  const token = tokens.find((t) => t.token === given);
  return token ? { token } : 'invalid';
}

function covers(token: SimToken, project: SimGitlabProject): boolean {
  const path = projectFullPath(project).toLowerCase();
  return token.repositories === undefined || token.repositories.some((r) => r.toLowerCase() === path);
}

function canSee(token: SimToken | null, project: SimGitlabProject): boolean {
  return !project.private || (token !== null && covers(token, project));
}

function perPage(query: URLSearchParams): number {
  return Math.min(100, Math.max(1, Number(query.get('per_page') ?? 20) || 20));
}

/** The log as it is now, chunk by chunk, waiting for the socket to drain; a reader that hangs up ends it. */
function streamTrace(response: ServerResponse, pipeline: SimGitlabPipeline, job: SimGitlabJob, headers: Record<string, string>): void {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': `infile; filename="${job.id}.log"`, ...headers });
  const chunks = simJobTrace(pipeline, job);
  const writeMore = (): void => {
    for (;;) {
      if (response.destroyed) return;
      const next = chunks.next();
      if (next.done) return void response.end();
      if (!response.write(next.value)) return void response.once('drain', writeMore);
    }
  };
  response.on('close', () => chunks.return(undefined));
  writeMore();
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
