/** Cirrus build and task payloads to the normalised event of DESIGN.md. */
import type { Build, NormalisedEvent, Repository, Task } from '../../core/event.js';
import type { DecodeContext } from '../provider.js';
import { cirrusBuildUrl, cirrusTaskUrl } from './links.js';
import type { CirrusBuildEvent, CirrusTaskEvent } from './payload.js';
import { cirrusBuildState, cirrusTaskState, type CirrusBuildStatus, type CirrusTaskStatus } from './status.js';
import { commitTitle } from '../title.js';

export function normaliseCirrusBuildEvent(payload: CirrusBuildEvent, context: DecodeContext): NormalisedEvent {
  return {
    id: context.id,
    provider: 'cirrus',
    kind: 'build',
    action: payload.action,
    receivedAt: context.receivedAt,
    repository: toRepository(payload.repository),
    build: toBuild(payload.build, payload.old_status ?? null),
    task: null,
  };
}

export function normaliseCirrusTaskEvent(payload: CirrusTaskEvent, context: DecodeContext): NormalisedEvent {
  return {
    id: context.id,
    provider: 'cirrus',
    kind: 'task',
    action: payload.action,
    receivedAt: context.receivedAt,
    repository: toRepository(payload.repository),
    // A task event's old_status is the task's; the build's previous status is not known here.
    build: toBuild(payload.build, null),
    task: normaliseCirrusTask(payload.task, payload.old_status ?? null),
  };
}

function toRepository(repository: CirrusBuildEvent['repository']): Repository {
  return {
    id: repository.id,
    owner: repository.owner,
    name: repository.name,
    // Unknown visibility is treated as private: the safer guess for anything shown to others.
    private: repository.isPrivate ?? true,
  };
}

/**
 * The build fields webhooks and the GraphQL API both carry under the same names. Who started the
 * build and its title come apart (`user` / `initializer`, `name` in the first design), so the
 * caller passes them.
 */
export interface CirrusBuildFields {
  readonly id: string;
  readonly status: CirrusBuildStatus;
  readonly branch?: string | null | undefined;
  readonly changeIdInRepo?: string | null | undefined;
  readonly changeTimestamp?: number | null | undefined;
  readonly pullRequest?: number | null | undefined;
}

/** A Cirrus build, from a webhook or the API, as the normalised build. */
export function normaliseCirrusBuild(
  build: CirrusBuildFields,
  details: { readonly title: string | null | undefined; readonly initiator: string | null | undefined; readonly previousStatus: string | null },
): Build {
  return {
    id: build.id,
    status: build.status,
    previousStatus: details.previousStatus,
    state: cirrusBuildState(build.status),
    branch: build.branch ?? null,
    sha: build.changeIdInRepo ?? null,
    title: commitTitle(details.title),
    pullRequest: build.pullRequest ?? null,
    initiator: details.initiator ?? null,
    url: cirrusBuildUrl(build.id),
    changedAt: build.changeTimestamp ?? null,
  };
}

function toBuild(build: CirrusBuildEvent['build'], previousStatus: string | null): Build {
  return normaliseCirrusBuild(build, { title: build.changeMessageTitle ?? build.name, initiator: build.user?.username, previousStatus });
}

/** A Cirrus task, from a webhook or the API, as the normalised task. */
export function normaliseCirrusTask(task: { readonly id: string; readonly name: string; readonly status: CirrusTaskStatus }, previousStatus: string | null): Task {
  return {
    id: task.id,
    name: task.name,
    status: task.status,
    previousStatus,
    state: cirrusTaskState(task.status),
    url: cirrusTaskUrl(task.id),
  };
}
