/**
 * The simulated GitHub REST API, for the poller and the actions: node:http on 127.0.0.1 answering
 * `GET /repos/{owner}/{repo}/actions/runs` (with ETags, 304s and rate-limit headers) and
 * `POST .../actions/runs/{id}/approve` and `.../rerun-failed-jobs` (201, or GitHub's refusals).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Logger } from '../../core/ports.js';
import type { SimToken } from '../access.js';
import { viewerFromHeader } from '../access.js';
import { closeNow, listenOn } from '../listen.js';
import type { GithubDirector } from './director.js';
import { simFailureFor } from '../failureStories.js';
import { jobObject, repositoryObject, runObject } from './payloads.js';
import type { SimRateLimiter } from './rateLimiter.js';
import type { SimGithubRepository, SimGithubWorld } from './world.js';

export interface GithubRestServerOptions {
  readonly world: SimGithubWorld;
  readonly director: GithubDirector;
  readonly limiter: SimRateLimiter;
  readonly tokens: readonly SimToken[];
  readonly logger: Logger;
  /** Brings the world up to now before a request is answered. */
  readonly catchUp: () => void;
  /** Default 0 (any free port). */
  readonly port?: number;
}

export interface GithubRestServer {
  /** `http://127.0.0.1:<port>`: the base URL to give the client instead of https://api.github.com. */
  readonly url: string;
  /** Requests answered so far, and how many of them were 304. */
  stats(): { requests: number; notModified: number };
  /** The next `count` requests answer `status` (default 503): for backoff tests. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const RUNS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs$/;
const RUN_ACTION = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/(approve|rerun-failed-jobs)$/;
const RUN_JOBS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/jobs$/;
const ANNOTATIONS = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)\/annotations$/;

export async function startGithubRestServer(options: GithubRestServerOptions): Promise<GithubRestServer> {
  const { world, director, limiter } = options;
  let requests = 0;
  let notModified = 0;
  let faults = { remaining: 0, status: 503 };
  let base = '';

  const server = createServer((request, response) => {
    request.resume();
    try {
      handle(request, response);
    } catch (error) {
      options.logger.error('github sim request failed', { error: error instanceof Error ? error.message : String(error) });
      answer(response, 500, { message: 'internal error' });
    }
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    requests += 1;
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (faults.remaining > 0) {
      faults.remaining -= 1;
      return answer(response, faults.status, { message: 'simulated outage' });
    }
    const viewer = viewerFromHeader(request.headers.authorization, options.tokens);
    if (viewer === 'invalid') return answer(response, 401, { message: 'Bad credentials' });
    const caller = viewer.token?.token ?? null;
    if (!limiter.allows(caller)) {
      return answer(response, 403, { message: 'API rate limit exceeded (simulated)' }, limiter.headers(caller));
    }
    options.catchUp();
    const list = RUNS.exec(url.pathname);
    const act = RUN_ACTION.exec(url.pathname);
    const jobs = RUN_JOBS.exec(url.pathname);
    const annotations = ANNOTATIONS.exec(url.pathname);
    const match = list ?? act ?? jobs ?? annotations;
    const repository = match ? world.repository(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)) : undefined;
    const visible = repository !== undefined && (!repository.private || (viewer.token !== null && covers(viewer.token, repository)));

    if (list && request.method === 'GET') {
      if (!visible) return spend(response, caller, 404, { message: 'Not Found' });
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const etag = `W/"${createHash('sha256').update(`${repository.id}:${world.version(repository)}:${perPage}`).digest('hex').slice(0, 40)}"`;
      if (request.headers['if-none-match'] === etag) {
        notModified += 1;
        // GitHub: a 304 to a correctly authorised conditional request costs nothing.
        if (caller === null) limiter.spend(caller);
        response.writeHead(304, { etag, ...limiter.headers(caller) });
        return void response.end();
      }
      const runs = world.runsOf(repository).slice(0, perPage);
      const body = { total_count: runs.length, workflow_runs: runs.map((run) => ({ ...runObject(run, base), repository: repositoryObject(run.repository) })) };
      return spend(response, caller, 200, body, { etag });
    }
    if (jobs && request.method === 'GET') {
      const run = world.runs.get(Number(jobs[3]));
      if (!visible || run === undefined || run.repository.id !== repository.id) return spend(response, caller, 404, { message: 'Not Found' });
      // The latest attempt's jobs: what `filter=latest`, GitHub's default, lists.
      return spend(response, caller, 200, { total_count: run.jobs.length, jobs: run.jobs.map((job) => jobObject(run, job, base)) });
    }
    if (annotations && request.method === 'GET') {
      const id = Number(annotations[3]);
      const run = visible ? world.runsOf(repository).find((candidate) => candidate.jobs.some((job) => job.id === id)) : undefined;
      const job = run?.jobs.find((candidate) => candidate.id === id);
      if (job === undefined) return spend(response, caller, 404, { message: 'Not Found' });
      return spend(response, caller, 200, job.conclusion === 'failure' ? failureAnnotations(job.name) : []);
    }
    if (act && request.method === 'POST') {
      if (!visible) return spend(response, caller, 404, { message: 'Not Found' });
      if (viewer.token === null) return spend(response, caller, 401, { message: 'Requires authentication' });
      if (viewer.token.permission !== 'WRITE' || !covers(viewer.token, repository)) {
        return spend(response, caller, 403, { message: 'Resource not accessible by personal access token' });
      }
      const run = world.runs.get(Number(act[3]));
      if (run === undefined || run.repository.id !== repository.id) return spend(response, caller, 404, { message: 'Not Found' });
      const done = act[4] === 'approve' ? director.approve(run) : director.rerunFailedJobs(run, viewer.token.token);
      if (!done) {
        const why = act[4] === 'approve' ? 'This run is not waiting for approval' : 'This run has no failed jobs to re-run';
        return spend(response, caller, 409, { message: why });
      }
      return spend(response, caller, 201, {});
    }
    return answer(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  function spend(response: ServerResponse, caller: string | null, status: number, body: unknown, headers: Record<string, string> = {}): void {
    limiter.spend(caller);
    answer(response, status, body, { ...headers, ...limiter.headers(caller) });
  }

  base = await listenOn(server, options.port);

  return {
    url: base,
    stats: () => ({ requests, notModified }),
    failNext(count, status = 503) {
      faults = { remaining: count, status };
    },
    close: () => closeNow(server),
  };
}

/** What a failed job's check run carries: the problem matcher's annotation, then the runner's own. */
function failureAnnotations(jobName: string) {
  const { annotation } = simFailureFor(jobName);
  const common = { start_column: null, end_column: null, annotation_level: 'failure', raw_details: null, blob_href: '' };
  return [
    { ...common, path: annotation.path, start_line: annotation.line, end_line: annotation.line, title: '', message: annotation.message },
    { ...common, path: '.github', start_line: 1, end_line: 1, title: '', message: 'Process completed with exit code 1.' },
  ];
}

function covers(token: SimToken, repository: SimGithubRepository): boolean {
  const slug = `${repository.owner}/${repository.name}`.toLowerCase();
  return token.repositories === undefined || token.repositories.some((r) => r.toLowerCase() === slug);
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}
