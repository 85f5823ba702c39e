/**
 * The simulator's world state: repositories, builds and tasks with the fields real Cirrus
 * deliveries and the GraphQL API carry. Every status change goes through here and is reported as
 * a {@link WorldChange}, from which the webhooks and the in-process events are made; the state
 * itself decides nothing about what happens next (that is `director.ts`: the story and the
 * build lifecycle).
 */
import type { CirrusBuildStatus, CirrusTaskStatus } from '../providers/cirrus/status.js';

export interface SimRepository {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly isPrivate: boolean;
  readonly defaultBranch: string;
}

export interface SimUser {
  readonly id: string;
  readonly username: string;
  /** Collaborators with write access; anyone else's pull request needs approval. */
  readonly canWrite: boolean;
}

export interface SimBuild {
  readonly id: string;
  readonly repositoryId: string;
  readonly branch: string;
  readonly changeIdInRepo: string;
  readonly changeMessageTitle: string;
  readonly changeMessage: string;
  readonly changeTimestamp: number;
  readonly buildCreatedTimestamp: number;
  readonly pullRequest: number | null;
  /** Missing for builds created through the API or by cron, as in real deliveries. */
  readonly user: SimUser | null;
  status: CirrusBuildStatus;
  /** The latest run of each task, in creation order. */
  taskIds: string[];
  /** When the build last started executing, for `durationInSeconds`. */
  executingSince: number | null;
  durationInSeconds: number | null;
}

export interface SimTask {
  readonly id: string;
  readonly buildId: string;
  readonly repositoryId: string;
  readonly name: string;
  readonly nameAlias: string;
  readonly localGroupId: number;
  readonly requiredGroups: readonly number[];
  readonly instanceType: string;
  readonly timeoutInSeconds: number;
  readonly creationTimestamp: number;
  /** Earlier runs of this task, oldest first (a re-run is a new task with a new id). */
  readonly previousRunIds: readonly string[];
  readonly manualRerunCount: number;
  status: CirrusTaskStatus;
  statusTimestamp: number;
  scheduledTimestamp: number | null;
  executingTimestamp: number | null;
  finalStatusTimestamp: number | null;
}

/** One status change, as a webhook would report it. */
export type WorldChange =
  | { readonly kind: 'build'; readonly action: 'created' | 'updated'; readonly oldStatus: CirrusBuildStatus | null; readonly build: SimBuild }
  | { readonly kind: 'task'; readonly action: 'created' | 'updated'; readonly oldStatus: CirrusTaskStatus | null; readonly task: SimTask };

export const FINAL_BUILD_STATUSES: ReadonlySet<CirrusBuildStatus> = new Set(['FAILED', 'COMPLETED', 'ABORTED', 'ERRORED']);
export const FINAL_TASK_STATUSES: ReadonlySet<CirrusTaskStatus> = new Set(['ABORTED', 'FAILED', 'COMPLETED', 'SKIPPED']);

export class SimWorld {
  private readonly repositoriesById = new Map<string, SimRepository>();
  private readonly buildsById = new Map<string, SimBuild>();
  private readonly tasksById = new Map<string, SimTask>();
  /** Build ids per repository, oldest first. */
  private readonly buildOrder = new Map<string, string[]>();

  /** `report` hears every change made with `announce` (the default); history is made silently. */
  constructor(private readonly report: (change: WorldChange) => void) {}

  addRepository(repository: SimRepository): void {
    this.repositoriesById.set(repository.id, repository);
    this.buildOrder.set(repository.id, []);
  }

  repositories(): SimRepository[] {
    return [...this.repositoriesById.values()];
  }

  repository(id: string): SimRepository | undefined {
    return this.repositoriesById.get(id);
  }

  repositoryByName(owner: string, name: string): SimRepository | undefined {
    const lower = (text: string) => text.toLowerCase();
    return this.repositories().find((r) => lower(r.owner) === lower(owner) && lower(r.name) === lower(name));
  }

  build(id: string): SimBuild | undefined {
    return this.buildsById.get(id);
  }

  task(id: string): SimTask | undefined {
    return this.tasksById.get(id);
  }

  /** A repository's builds, oldest first. */
  buildsOf(repositoryId: string): SimBuild[] {
    return (this.buildOrder.get(repositoryId) ?? []).map((id) => this.buildsById.get(id)!);
  }

  /** Every build of every repository, oldest first within each repository. */
  allBuilds(): SimBuild[] {
    return [...this.buildsById.values()];
  }

  /** The latest run of each of a build's tasks. */
  tasksOf(build: SimBuild): SimTask[] {
    return build.taskIds.map((id) => this.tasksById.get(id)!);
  }

  addBuild(build: SimBuild, announce = true): SimBuild {
    if (!this.repositoriesById.has(build.repositoryId)) throw new Error(`no repository ${build.repositoryId}`);
    this.buildsById.set(build.id, build);
    this.buildOrder.get(build.repositoryId)!.push(build.id);
    if (announce) this.report({ kind: 'build', action: 'created', oldStatus: null, build });
    return build;
  }

  addTask(task: SimTask, announce = true): SimTask {
    const build = this.buildsById.get(task.buildId);
    if (!build) throw new Error(`no build ${task.buildId}`);
    this.tasksById.set(task.id, task);
    // A re-run replaces the run it repeats in the build's list of latest tasks.
    const replaced = task.previousRunIds.at(-1);
    const index = replaced === undefined ? -1 : build.taskIds.indexOf(replaced);
    if (index >= 0) build.taskIds[index] = task.id;
    else build.taskIds.push(task.id);
    if (announce) this.report({ kind: 'task', action: 'created', oldStatus: null, task });
    return task;
  }

  setBuildStatus(build: SimBuild, status: CirrusBuildStatus, now: number, announce = true): void {
    const oldStatus = build.status;
    if (oldStatus === status) return;
    build.status = status;
    if (status === 'EXECUTING') build.executingSince = now;
    if (FINAL_BUILD_STATUSES.has(status) && build.executingSince !== null) {
      build.durationInSeconds = Math.max(0, Math.round((now - build.executingSince) / 1000));
    }
    if (announce) this.report({ kind: 'build', action: 'updated', oldStatus, build });
  }

  setTaskStatus(task: SimTask, status: CirrusTaskStatus, now: number, announce = true): void {
    const oldStatus = task.status;
    if (oldStatus === status) return;
    task.status = status;
    task.statusTimestamp = now;
    if (status === 'SCHEDULED') task.scheduledTimestamp = now;
    if (status === 'EXECUTING') task.executingTimestamp = now;
    if (FINAL_TASK_STATUSES.has(status)) task.finalStatusTimestamp = now;
    if (announce) this.report({ kind: 'task', action: 'updated', oldStatus, task });
  }
}

/** Seconds a task has run so far, or ran: what Cirrus reports as `durationInSeconds`. */
export function taskDurationSeconds(task: SimTask, now: number): number {
  if (task.executingTimestamp === null) return 0;
  const end = task.finalStatusTimestamp ?? now;
  return Math.max(0, Math.round((end - task.executingTimestamp) / 1000));
}
