/**
 * World changes in Cirrus's real flat wire format (FACTS.md; `../shared/fixtures/cirrus/*.json`):
 * `{old_status?, action, repository, build, task}`, ids as JSON numbers, timestamps in epoch ms,
 * `task: {}` on build events. The exact text is what gets signed and sent.
 */
import type { SimBuild, SimRepository, SimTask, SimWorld, WorldChange } from './world.js';
import { taskDurationSeconds } from './world.js';

/** A delivery ready to sign: its event type header and its exact body text. */
export interface WirePayload {
  readonly eventType: 'build' | 'task';
  readonly body: string;
}

/**
 * The delivery for one change. `now` is the simulated time (for a running task's duration). Ids
 * become JSON numbers as Cirrus sends them; the simulator only makes ids below 2^53, so
 * `Number(id)` is exact.
 */
export function wirePayload(world: SimWorld, change: WorldChange, now: number): WirePayload {
  const build = change.kind === 'build' ? change.build : world.build(change.task.buildId)!;
  const repository = world.repository(build.repositoryId)!;
  const body: Record<string, unknown> = {};
  if (change.oldStatus !== null) body['old_status'] = change.oldStatus;
  body['action'] = change.action;
  body['repository'] = repositoryPayload(repository);
  body['build'] = buildPayload(build);
  body['task'] = change.kind === 'task' ? taskPayload(change.task, now) : {};
  return { eventType: change.kind, body: JSON.stringify(body) };
}

function repositoryPayload(repository: SimRepository) {
  return { id: numericId(repository.id), owner: repository.owner, name: repository.name, isPrivate: repository.isPrivate };
}

function buildPayload(build: SimBuild) {
  return {
    id: numericId(build.id),
    branch: build.branch,
    ...(build.durationInSeconds === null ? {} : { durationInSeconds: build.durationInSeconds }),
    changeIdInRepo: build.changeIdInRepo,
    changeTimestamp: build.changeTimestamp,
    changeMessageTitle: build.changeMessageTitle,
    status: build.status,
    ...(build.pullRequest === null ? {} : { pullRequest: build.pullRequest }),
    // Builds created through the API carry no user, as in real deliveries.
    ...(build.user === null ? {} : { user: { id: numericId(build.user.id), username: build.user.username } }),
  };
}

function taskPayload(task: SimTask, now: number) {
  return {
    id: numericId(task.id),
    name: task.name,
    nameAlias: task.nameAlias,
    status: task.status,
    statusTimestamp: task.statusTimestamp,
    creationTimestamp: task.creationTimestamp,
    durationInSeconds: taskDurationSeconds(task, now),
    uniqueLabels: [],
    automaticReRun: false,
    automaticallyReRunnable: false,
    instanceType: task.instanceType,
    localGroupId: task.localGroupId,
    notifications: [],
  };
}

function numericId(id: string): number {
  const number = Number(id);
  if (!Number.isSafeInteger(number)) throw new RangeError(`simulated id ${id} is not a safe integer`);
  return number;
}
