/**
 * Asks a CI's API why a build failed, for the engine, without ever holding a notification back:
 * the failure's notification is out before the question is asked, and the answer, if it comes in
 * time, updates it. Each failed task is asked about at most once (a build whose failed tasks are
 * unknown, once per attempt); a few requests run at a time and a few more wait, the oldest
 * dropped first; each is given up after a time bound and its request aborted. What comes back is
 * parsed with zod before it reaches the engine: a port is a boundary like any other.
 */
import { failedTasks } from '../../core/engine/notificationContent.js';
import type { TrackedBuild } from '../../core/engine/buildTracker.js';
import { taskFailureSchema, type TaskFailure } from '../../core/failureDetail.js';
import type { FailureDetailPort, FailureDetailRequest } from '../../core/failureDetailPort.js';
import type { Logger } from '../../core/ports.js';
import type { TimersPort } from './timers.js';

/** How long an answer may take before the notification stays as it is. */
export const DEFAULT_FAILURE_DETAIL_TIMEOUT_MS = 15_000;
/** Requests at once: detail is a nicety, never a load on the CI or the rate limit. */
const MAX_IN_FLIGHT = 2;
/** Requests waiting; past this the oldest is dropped (its notification simply stays as it is). */
const MAX_QUEUED = 20;
/** Tasks asked about per build: the notification explains the first; more are for its fallbacks. */
const MAX_TASKS_PER_BUILD = 3;
/** Task keys remembered as asked. */
const MAX_ASKED = 2000;

export interface FailureDetailsOptions {
  readonly port: FailureDetailPort;
  readonly timers: TimersPort;
  readonly logger: Logger;
  /** Default {@link DEFAULT_FAILURE_DETAIL_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** One answer about one failed task of the build with this key. */
  readonly onFailure: (buildKey: string, failure: TaskFailure) => void;
}

interface Job {
  readonly buildKey: string;
  readonly request: FailureDetailRequest;
}

export class FailureDetails {
  readonly #options: FailureDetailsOptions;
  readonly #asked = new Set<string>();
  readonly #queue: Job[] = [];
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  constructor(options: FailureDetailsOptions) {
    this.#options = options;
  }

  /** Asks about the failed tasks of `build` not asked about yet; returns at once. */
  request(build: TrackedBuild): void {
    if (this.#closed) return;
    const request = this.#newRequest(build);
    if (request === null) return;
    this.#queue.push({ buildKey: build.key, request });
    const dropped = this.#queue.length > MAX_QUEUED ? this.#queue.shift() : undefined;
    if (dropped) this.#options.logger.info('failure detail not asked: too many waiting', { build: dropped.buildKey });
    this.#pump();
  }

  /** A new attempt of the build began: its failures are new tasks, or (unknown tasks) a new question. */
  forgetBuild(buildKey: string): void {
    this.#asked.delete(`${buildKey}/*`);
  }

  /** Aborts what is in flight and drops what waits. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }

  #newRequest(build: TrackedBuild): FailureDetailRequest | null {
    const { port } = this.#options;
    if (!port.supports({ provider: build.provider, buildUrl: build.url })) return null;
    const failed = failedTasks(build).slice(0, MAX_TASKS_PER_BUILD);
    const keys = failed.length === 0 ? [`${build.key}/*`] : failed.map((task) => `${build.key}/${task.id}`);
    const fresh = keys.filter((key) => !this.#asked.has(key));
    if (fresh.length === 0) return null;
    for (const key of fresh) remember(this.#asked, key);
    const known = build.failure ?? null;
    return {
      provider: build.provider,
      repository: { owner: build.repository.owner, name: build.repository.name },
      buildId: build.id,
      buildUrl: build.url,
      tasks: failed
        .filter((task) => fresh.includes(`${build.key}/${task.id}`))
        .map((task) => ({ id: task.id, name: task.name, url: task.url, known: known?.taskId === task.id ? known.detail : null })),
    };
  }

  #pump(): void {
    while (!this.#closed && this.#inFlight.size < MAX_IN_FLIGHT && this.#queue.length > 0) this.#run(this.#queue.shift()!);
  }

  #run(job: Job): void {
    const { port, timers, logger } = this.#options;
    const controller = new AbortController();
    this.#inFlight.add(controller);
    let settled = false;
    const finish = () => {
      settled = true;
      timers.clearTimeout(timer);
      this.#inFlight.delete(controller);
      this.#pump();
    };
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_FAILURE_DETAIL_TIMEOUT_MS;
    const timer = timers.setTimeout(() => {
      if (settled) return;
      logger.info('failure detail took too long; the notification stays without it', { build: job.buildKey, timeoutMs });
      controller.abort(new Error(`no answer within ${timeoutMs} ms`));
      finish();
    }, timeoutMs);
    // Asked synchronously, so a request is under way when `request` returns; a port that throws is a failed request like any other.
    let answer: Promise<readonly TaskFailure[]>;
    try {
      answer = Promise.resolve(port.fetch(job.request, controller.signal));
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (answers) => {
        if (settled || this.#closed) return;
        finish();
        for (const answer of Array.isArray(answers) ? answers : []) {
          const parsed = taskFailureSchema.safeParse(answer);
          if (!parsed.success) {
            logger.warn('a failure detail answer was malformed and is ignored', { build: job.buildKey, error: parsed.error.message.slice(0, 300) });
            continue;
          }
          // Asked about as part of its build: its own events, arriving later, need not ask again.
          remember(this.#asked, `${job.buildKey}/${parsed.data.taskId}`);
          this.#options.onFailure(job.buildKey, parsed.data);
        }
      },
      (error: unknown) => {
        if (settled || this.#closed) return;
        finish();
        logger.warn('could not fetch failure detail', { build: job.buildKey, error: error instanceof Error ? error.message : String(error) });
      },
    );
  }
}

function remember(set: Set<string>, key: string): void {
  set.add(key);
  if (set.size > MAX_ASKED) set.delete(set.values().next().value!);
}
