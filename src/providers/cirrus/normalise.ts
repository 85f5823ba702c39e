/** Cirrus build and task payloads to the normalised event of DESIGN.md. */
import type { Build, NormalisedEvent, Repository, Task } from '../../core/event.js';
import type { DecodeContext } from '../provider.js';
import { cirrusBuildUrl, cirrusTaskUrl } from './links.js';
import type { CirrusBuildEvent, CirrusTaskEvent } from './payload.js';
import { cirrusBuildState, cirrusTaskState } from './status.js';
import { commitTitle } from './title.js';

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
    task: toTask(payload.task, payload.old_status ?? null),
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

function toBuild(build: CirrusBuildEvent['build'], previousStatus: string | null): Build {
  return {
    id: build.id,
    status: build.status,
    previousStatus,
    state: cirrusBuildState(build.status),
    branch: build.branch ?? null,
    sha: build.changeIdInRepo ?? null,
    title: commitTitle(build.changeMessageTitle ?? build.name),
    pullRequest: build.pullRequest ?? null,
    initiator: build.user?.username ?? null,
    url: cirrusBuildUrl(build.id),
    changedAt: build.changeTimestamp ?? null,
  };
}

function toTask(task: CirrusTaskEvent['task'], previousStatus: string | null): Task {
  return {
    id: task.id,
    name: task.name,
    status: task.status,
    previousStatus,
    state: cirrusTaskState(task.status),
    url: cirrusTaskUrl(task.id),
  };
}
