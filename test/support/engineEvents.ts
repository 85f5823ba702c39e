/** Normalised events for engine tests: a build event with sensible defaults and overrides. */
import type { NotificationCandidate } from '../../src/core/engine/summary.js';
import type { Transition } from '../../src/core/engine/transition.js';
import type { BuildState, NormalisedEvent, Provider, TaskState } from '../../src/core/event.js';
import type { FailureDetail } from '../../src/core/failureDetail.js';
import type { NotificationIntent } from '../../src/core/ports.js';

let counter = 0;

export interface EventSpec {
  readonly id?: string;
  readonly buildId?: string;
  readonly state: BuildState;
  readonly status?: string;
  readonly previousStatus?: string | null;
  readonly owner?: string;
  readonly repo?: string;
  readonly branch?: string | null;
  readonly title?: string | null;
  readonly initiator?: string | null;
  readonly at?: number;
  readonly task?: { readonly id: string; readonly name: string; readonly state: TaskState; readonly status?: string; readonly detail?: FailureDetail };
  /** Default cirrus. */
  readonly provider?: Provider;
}

const CIRRUS_STATUS: Record<TaskState, string> = {
  queued: 'CREATED',
  needs_approval: 'NEEDS_APPROVAL',
  running: 'EXECUTING',
  passed: 'COMPLETED',
  failed: 'FAILED',
  aborted: 'ABORTED',
  errored: 'ERRORED',
  skipped: 'SKIPPED',
};

/** A Cirrus-like event; the id is unique unless given, so repeated calls are distinct deliveries. */
export function buildEvent(spec: EventSpec): NormalisedEvent {
  counter += 1;
  const buildId = spec.buildId ?? '1';
  const owner = spec.owner ?? 'acme';
  const repo = spec.repo ?? 'web';
  return {
    id: spec.id ?? `event-${counter}`,
    provider: spec.provider ?? 'cirrus',
    kind: spec.task ? 'task' : 'build',
    action: 'updated',
    receivedAt: spec.at ?? 1_000,
    repository: { id: `${owner}-${repo}`, owner, name: repo, private: false },
    build: {
      id: buildId,
      status: spec.status ?? CIRRUS_STATUS[spec.state],
      previousStatus: spec.previousStatus ?? null,
      state: spec.state,
      branch: spec.branch === undefined ? 'main' : spec.branch,
      sha: 'abc123',
      title: spec.title === undefined ? 'Fix the login page' : spec.title,
      pullRequest: null,
      initiator: spec.initiator === undefined ? 'alice' : spec.initiator,
      url: `https://cirrus-ci.com/build/${buildId}`,
      changedAt: null,
    },
    task: spec.task
      ? {
          id: spec.task.id,
          name: spec.task.name,
          status: spec.task.status ?? CIRRUS_STATUS[spec.task.state],
          previousStatus: null,
          state: spec.task.state,
          url: `https://cirrus-ci.com/task/${spec.task.id}`,
          ...(spec.task.detail ? { detail: spec.task.detail } : {}),
        }
      : null,
  };
}

/** A build notification as the coalescer and digest receive it. */
export function candidate(id: string, transition: Transition, slug = 'acme/web', at = 1): NotificationCandidate {
  const intent: NotificationIntent = {
    key: `build:cirrus:${id}`,
    title: `${slug} · main ${transition}`,
    body: '',
    url: `https://cirrus-ci.com/build/${id}`,
    urgency: 'normal',
    actions: [],
  };
  return { intent, transition, slug, at };
}

/** A failure detail with every field empty but those given. */
export function detail(fields: Partial<FailureDetail> = {}): FailureDetail {
  return { step: null, reason: null, logTail: [], annotation: null, ...fields };
}
