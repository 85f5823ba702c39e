/**
 * The event source for GitLab users without a relay: per project, the pipelines updated since
 * the last poll (`updated_after`, most recently updated first), and the jobs of each pipeline
 * that changed, turned into normalised events. The first listing of a project is a baseline. The
 * cursor is GitLab's own `updated_at`, so this machine's clock never decides what is missed.
 *
 * A poll's findings are kept only when the whole poll succeeds: a failure midway leaves the
 * cursors where they were, and the next poll asks again for what was not told. The poller obeys
 * the rate limit as the GitHub poller does: when GitLab answers 429 (Retry-After), or too few
 * requests remain for a round, it pauses until the reset and says so; other failures back off
 * exponentially with jitter.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import type { Logger } from '../../../core/ports.js';
import { DEFAULT_PIPELINES_PER_PAGE, type GitlabApi } from '../../../providers/gitlab/api/client.js';
import { GitlabPermissionError, GitlabRateLimitError } from '../../../providers/gitlab/api/errors.js';
import type { RateLimit } from '../../../providers/gitlab/api/rateLimit.js';
import type { ApiJob, ApiPipeline, ApiProject } from '../../../providers/gitlab/api/responses.js';
import { isProjectPath } from '../../../providers/gitlab/payload.js';
import type { PollerOptions } from '../pollSchedule.js';
import { checkPollInterval, MIN_POLL_INTERVAL_MS } from '../pollSchedule.js';
import type { RateGate } from '../rateGate.js';
import { createRateLimitedPolling, type RateLimitedPollResult } from '../rateLimitedPolling.js';
import { gitlabPipelineEvents, pipelineChanged, type KnownPipeline } from './pollDiff.js';

/** Default time between polls. */
export const DEFAULT_GITLAB_POLL_INTERVAL_MS = 60_000;
/** Pages of changed pipelines read per project and poll: 100 pipelines at the default page size. */
const MAX_PAGES = 5;
/** Pipelines remembered per project: far more than change between two polls. */
const KNOWN_PIPELINES_PER_PROJECT = 100;

export interface GitlabPollerOptions extends PollerOptions {
  /** `repositories`: each project's full path, `group/project` or `group/subgroup/project`. */
  readonly api: Pick<GitlabApi, 'getProject' | 'listPipelines' | 'listPipelineJobs'>;
  /** Time between polls. Default 60 000 ms; at least 15 000 ms. */
  readonly intervalMs?: number;
  /** Pipelines per listing. Default: the client's (20). */
  readonly pipelinesPerProject?: number;
  /** Polling paused for the rate limit until this instant (epoch ms), or resumed (null). */
  readonly onPause?: (until: number | null) => void;
  /**
   * The budget this token shares with other requests (failure detail): the poller tells it every
   * answer's rate-limit headers and its pauses, and waits too when another request hit the limit.
   */
  readonly gate?: RateGate;
}

export type GitlabPollResult = RateLimitedPollResult;

export interface GitlabPoller {
  start(): void;
  stop(): void;
  /** Polls at once (sharing a poll in flight). */
  pollNow(): Promise<GitlabPollResult>;
  readonly intervalMs: number;
  stats(): { polls: number; requests: number; jobListings: number; failures: number; pausedUntil: number | null };
}

/** What the poller knows of one project; replaced as a whole when a poll succeeds. */
interface ProjectState {
  /** Null while the project cannot be seen (not found, or private without a token that covers it). */
  readonly project: ApiProject | null;
  /** False until a first listing was taken: that one is history, not news. */
  readonly baselined: boolean;
  /** The latest `updated_at` seen, as GitLab wrote it: the next `updated_after`. */
  readonly cursor: string | null;
  readonly pipelines: ReadonlyMap<string, KnownPipeline>;
}

const UNSEEN: ProjectState = { project: null, baselined: false, cursor: null, pipelines: new Map() };

export function createGitlabPoller(options: GitlabPollerOptions): GitlabPoller {
  const paths = parseWatchedProjects(options.repositories);
  const { api, clock, logger } = options;
  const intervalMs = chooseInterval(options.intervalMs ?? DEFAULT_GITLAB_POLL_INTERVAL_MS, logger);
  const perPage = options.pipelinesPerProject ?? DEFAULT_PIPELINES_PER_PAGE;

  let states = new Map<string, ProjectState>(paths.map((path) => [path, UNSEEN]));
  let requests = 0;
  let jobListings = 0;
  /** The rate-limited polling's pause, handed to each round. */
  let pause: (until: number) => void = () => undefined;
  const warnedInvisible = new Set<string>();
  const warnedJobs = new Set<string>();

  function noteRateLimit(rateLimit: RateLimit): void {
    options.gate?.note(rateLimit);
    const { remaining, resetAt } = rateLimit;
    // Too few requests left for another round: wait for the reset rather than fail midway.
    if (remaining !== null && resetAt !== null && remaining < paths.length && resetAt > clock()) pause(resetAt);
  }

  function invisible(path: string): ProjectState {
    if (!warnedInvisible.has(path)) logger.warn('GitLab project not found or not visible (a private one needs a token with the read_api scope)', { project: path });
    warnedInvisible.add(path);
    return UNSEEN;
  }

  /**
   * The jobs of a changed pipeline. A refusal here (a project that shows pipelines but hides its
   * jobs, a pipeline deleted since the listing) must not stop every later poll: the pipeline is
   * still told, without its jobs, and the refusal is logged once per project.
   */
  async function listJobs(path: string, projectId: string, pipelineId: string, before: KnownPipeline | undefined): Promise<readonly ApiJob[]> {
    try {
      const { jobs, rateLimit } = await api.listPipelineJobs(projectId, pipelineId);
      noteRateLimit(rateLimit);
      return jobs;
    } catch (error) {
      if (!(error instanceof GitlabPermissionError)) throw error;
      if (!warnedJobs.has(path)) logger.warn('GitLab jobs not visible: pipelines are told without their jobs', { project: path, error: error.message });
      warnedJobs.add(path);
      return before?.jobs ?? [];
    }
  }

  /**
   * The pipelines updated since the cursor, most recent first; null when the project is out of
   * sight. A full page means more may have changed: the next pages are read too (up to
   * {@link MAX_PAGES}), since the cursor moves past whatever is not read. A baseline reads one page.
   */
  async function listChanged(projectId: string, state: ProjectState): Promise<ApiPipeline[] | null> {
    const listed: ApiPipeline[] = [];
    for (let page = 1; page <= (state.baselined ? MAX_PAGES : 1); page += 1) {
      requests += 1;
      // By id: a project renamed or moved keeps it.
      const listing = await api.listPipelines(projectId, { updatedAfter: state.baselined ? state.cursor : null, perPage, page });
      noteRateLimit(listing.rateLimit);
      if (listing.kind === 'not_found') return null;
      listed.push(...listing.pipelines.filter((pipeline) => !listed.some((seen) => seen.id === pipeline.id)));
      if (listing.pipelines.length < perPage) break;
    }
    return listed;
  }

  async function pollProject(path: string, state: ProjectState, events: NormalisedEvent[]): Promise<ProjectState> {
    let project = state.project;
    if (project === null) {
      requests += 1;
      const lookup = await api.getProject(path);
      noteRateLimit(lookup.rateLimit);
      if (lookup.kind === 'not_found') return invisible(path);
      project = lookup.project;
      warnedInvisible.delete(path);
    }
    const listed = await listChanged(project.id, state);
    if (listed === null) return invisible(path);
    const pipelines = new Map(state.pipelines);
    let cursor = state.cursor;
    // Oldest change first, so the events tell the story in order.
    for (const pipeline of [...listed].reverse()) {
      if (later(pipeline.updated_at, cursor)) cursor = pipeline.updated_at ?? cursor;
      const before = state.pipelines.get(pipeline.id);
      if (!state.baselined) {
        pipelines.set(pipeline.id, { pipeline, jobs: null });
        continue;
      }
      if (!pipelineChanged(before, pipeline)) continue;
      requests += 1;
      jobListings += 1;
      const jobs = await listJobs(path, project.id, pipeline.id, before);
      events.push(...gitlabPipelineEvents(project, before, pipeline, jobs, clock()));
      pipelines.set(pipeline.id, { pipeline, jobs });
    }
    return { project, baselined: true, cursor, pipelines: newest(pipelines, KNOWN_PIPELINES_PER_PROJECT) };
  }

  async function pollRound(pauseUntil: (until: number) => void): Promise<readonly NormalisedEvent[]> {
    pause = pauseUntil;
    // Another request of this token (a failure detail's) was told to wait: so is the poller.
    const shared = options.gate?.pausedUntil() ?? null;
    if (shared !== null) {
      pause(shared);
      return [];
    }
    const next = new Map<string, ProjectState>();
    const events: NormalisedEvent[] = [];
    for (const path of paths) next.set(path, await pollProject(path, states.get(path) ?? UNSEEN, events));
    states = next;
    return events;
  }

  const polling = createRateLimitedPolling({
    ...options,
    ci: 'GitLab',
    intervalMs,
    pollRound,
    onPause: (until) => {
      if (until !== null) options.gate?.pause(until);
      options.onPause?.(until);
    },
    rateLimitedUntil: (error) => (error instanceof GitlabRateLimitError ? error.until : null),
  });

  return {
    intervalMs,
    start: polling.start,
    stop: polling.stop,
    pollNow: polling.pollNow,
    stats: () => ({ ...polling.stats(), requests, jobListings }),
  };
}

export function parseWatchedProjects(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
    if (!isProjectPath(trimmed)) throw new TypeError(`watched GitLab project '${path}' is not a full path such as group/project or group/subgroup/project`);
    return trimmed;
  });
}

/** True when GitLab time `a` is after `b` (null: nothing seen yet). */
function later(a: string | null | undefined, b: string | null): boolean {
  if (!a) return false;
  if (b === null) return true;
  const [at, bt] = [Date.parse(a), Date.parse(b)];
  return Number.isFinite(at) && (!Number.isFinite(bt) || at > bt);
}

/** The `max` pipelines with the highest ids (the newest). */
function newest(pipelines: Map<string, KnownPipeline>, max: number): Map<string, KnownPipeline> {
  if (pipelines.size <= max) return pipelines;
  const ids = [...pipelines.keys()].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0)).slice(0, max);
  return new Map(ids.map((id) => [id, pipelines.get(id)!]));
}

function chooseInterval(requested: number, logger: Logger): number {
  checkPollInterval(requested);
  if (requested >= MIN_POLL_INTERVAL_MS) return requested;
  logger.warn(`poll interval ${requested} ms is below the ${MIN_POLL_INTERVAL_MS / 1000} s minimum; polling every ${MIN_POLL_INTERVAL_MS / 1000} s`, { requestedMs: requested, usedMs: MIN_POLL_INTERVAL_MS });
  return MIN_POLL_INTERVAL_MS;
}
