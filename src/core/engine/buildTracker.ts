/**
 * What the engine knows about recent builds: the latest state of each build and of its tasks,
 * folded from events that may arrive twice or out of order. Memory is bounded: only the most
 * recently updated builds are kept, and only the latest event ids are remembered for dedupe.
 * A re-run is a new attempt of the same build: see taskAttempts.ts for how its tasks take the
 * earlier attempt's place.
 */
import type { BuildState, NormalisedEvent, Provider, Repository } from '../event.js';
import { isFinalState, repositorySlug } from '../event.js';
import type { TaskFailure } from '../failureDetail.js';
import { mergeFailure } from './buildFailure.js';
import { acceptsStatus } from './stateOrder.js';
import { TaskAttempts, type TrackedTask } from './taskAttempts.js';
import type { BranchOutcomeState } from './transition.js';

export type { TrackedTask } from './taskAttempts.js';

export interface TrackedBuild {
  /** `provider:buildId`: unique across providers, the key of everything per build. */
  readonly key: string;
  readonly provider: Provider;
  readonly id: string;
  readonly repository: Repository;
  /** `owner/name`. */
  readonly slug: string;
  readonly branch: string | null;
  readonly title: string | null;
  readonly initiator: string | null;
  readonly url: string;
  readonly status: string;
  readonly state: BuildState;
  /** In the order first seen. */
  readonly tasks: readonly TrackedTask[];
  /** The newest `receivedAt` of the events applied to this build. */
  readonly updatedAt: number;
  /**
   * Why it failed, as far as its CI said (see buildFailure.ts); null when nothing is known, and
   * again when a re-run begins. Optional so builds made before it existed (tests, fixtures) need
   * not name it.
   */
  readonly failure?: TaskFailure | null;
}

/** The last finished outcome of one repository+branch (see `BranchOutcomeState`). */
export interface BranchOutcome {
  readonly key: string;
  readonly buildKey: string;
  readonly slug: string;
  readonly branch: string | null;
  readonly initiator: string | null;
  readonly state: BranchOutcomeState;
  readonly at: number;
}

export type TrackResult =
  | { readonly kind: 'duplicate' }
  | {
      readonly kind: 'applied';
      readonly before: TrackedBuild | undefined;
      readonly after: TrackedBuild;
      readonly stateChanged: boolean;
      readonly tasksChanged: boolean;
      /** The branch's outcome before this event: what "fixed" and "still failing" compare with. */
      readonly branchBefore: BranchOutcomeState | undefined;
      /**
       * This event began a new attempt of a finished build (a re-run): what was said about the
       * earlier attempt, such as its failure notification, no longer describes the build.
       */
      readonly newAttempt: boolean;
    };

export interface BuildTrackerOptions {
  /** Builds kept; the least recently updated is forgotten first. Default 200. */
  readonly maxBuilds?: number;
  /** Event ids remembered for dedupe. Default 5000: far more than one reconnect replays. */
  readonly maxEventIds?: number;
  /** Branch outcomes kept. Default 1000. */
  readonly maxBranches?: number;
}

export function buildKey(provider: Provider, buildId: string): string {
  return `${provider}:${buildId}`;
}

export function branchKey(provider: Provider, repositoryId: string, branch: string | null): string {
  return `${provider}:${repositoryId}:${branch ?? ''}`;
}

export class BuildTracker {
  // Maps keep insertion order; re-inserting on update makes the first entry the stalest.
  readonly #builds = new Map<string, TrackedBuild>();
  readonly #branches = new Map<string, BranchOutcome>();
  readonly #eventIds = new Set<string>();
  readonly #attempts: TaskAttempts;
  readonly #maxBuilds: number;
  readonly #maxEventIds: number;
  readonly #maxBranches: number;

  constructor(options: BuildTrackerOptions = {}) {
    this.#maxBuilds = options.maxBuilds ?? 200;
    this.#maxEventIds = options.maxEventIds ?? 5000;
    this.#maxBranches = options.maxBranches ?? 1000;
    this.#attempts = new TaskAttempts(this.#maxEventIds);
  }

  /** Folds one event in and says what changed. */
  apply(event: NormalisedEvent): TrackResult {
    if (this.#eventIds.has(event.id)) return { kind: 'duplicate' };
    remember(this.#eventIds, event.id, this.#maxEventIds);

    const key = buildKey(event.provider, event.build.id);
    const before = this.#builds.get(key);
    const takeBuild = acceptsStatus(before, event.build);
    const state = takeBuild ? event.build.state : before!.state;
    let tasks = before?.tasks ?? [];
    // The build left a final state: a re-run began, and what failed before is not the build's any more.
    const leftFinalState = before !== undefined && isFinalState(before.state) && !isFinalState(state);
    if (leftFinalState) tasks = this.#attempts.startAttempt(key, tasks);
    let replacedTask = false;
    if (event.task && !this.#attempts.isReplaced(key, event.task.id)) {
      const merged = this.#attempts.merge(key, tasks, event.task, before !== undefined && isFinalState(before.state));
      tasks = merged.tasks;
      replacedTask = merged.replaced;
    }
    // A new attempt's failures are its own: what was said about the earlier one goes.
    let failure = leftFinalState || replacedTask ? null : (before?.failure ?? null);
    if (event.task?.detail && tasks.some((task) => task.id === event.task!.id)) {
      const { id, name, url, detail } = event.task;
      failure = mergeFailure(tasks, failure, { taskId: id, taskName: name, taskUrl: url, detail });
    }
    const after: TrackedBuild = {
      key,
      provider: event.provider,
      id: event.build.id,
      repository: event.repository,
      slug: repositorySlug(event.repository),
      branch: event.build.branch ?? before?.branch ?? null,
      title: event.build.title ?? before?.title ?? null,
      initiator: event.build.initiator ?? before?.initiator ?? null,
      url: event.build.url,
      status: takeBuild ? event.build.status : before!.status,
      state,
      tasks,
      updatedAt: Math.max(before?.updatedAt ?? 0, event.receivedAt),
      failure,
    };
    this.#builds.delete(key);
    this.#builds.set(key, after);
    for (const evicted of evictOldest(this.#builds, this.#maxBuilds)) this.#attempts.forgetBuild(evicted);

    const stateChanged = before?.state !== state;
    const branchBefore = this.#branches.get(branchKey(after.provider, after.repository.id, after.branch))?.state;
    if (stateChanged) this.#recordOutcome(after);
    return {
      // What is known of its failure is task news too: the notification out shows it.
      kind: 'applied', before, after, stateChanged, tasksChanged: tasks !== before?.tasks || failure !== (before?.failure ?? null), branchBefore,
      newAttempt: leftFinalState || replacedTask,
    };
  }

  /**
   * Folds in what a CI's API said about a failure of this build; the build as it is now when that
   * changed what is known, else undefined (unknown build, a task no longer failed, nothing new).
   * Not an update of the build: its place among the recent builds stays.
   */
  attachFailure(key: string, incoming: TaskFailure): TrackedBuild | undefined {
    const build = this.#builds.get(key);
    if (!build || (build.state !== 'failed' && build.state !== 'errored')) return undefined;
    const current = build.failure ?? null;
    const failure = mergeFailure(build.tasks, current, incoming);
    if (failure === current) return undefined;
    const after: TrackedBuild = { ...build, failure };
    this.#builds.set(key, after);
    return after;
  }

  get(key: string): TrackedBuild | undefined {
    return this.#builds.get(key);
  }

  /** Every tracked build, most recently updated first. */
  builds(): TrackedBuild[] {
    return [...this.#builds.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** The last finished outcome of every repository+branch seen. */
  branchOutcomes(): BranchOutcome[] {
    return [...this.#branches.values()];
  }

  #recordOutcome(build: TrackedBuild): void {
    if (build.state !== 'passed' && build.state !== 'failed' && build.state !== 'errored') return;
    const key = branchKey(build.provider, build.repository.id, build.branch);
    this.#branches.delete(key);
    this.#branches.set(key, {
      key,
      buildKey: build.key,
      slug: build.slug,
      branch: build.branch,
      initiator: build.initiator,
      state: build.state,
      at: build.updatedAt,
    });
    evictOldest(this.#branches, this.#maxBranches);
  }
}

function remember(ids: Set<string>, id: string, max: number): void {
  ids.add(id);
  if (ids.size > max) ids.delete(ids.values().next().value!);
}

/** Removes the oldest entries past `max` and returns their keys. */
function evictOldest<V>(map: Map<string, V>, max: number): string[] {
  const evicted: string[] = [];
  while (map.size > max) {
    const oldest = map.keys().next().value!;
    map.delete(oldest);
    evicted.push(oldest);
  }
  return evicted;
}
