/**
 * What changed between two polls of the Cirrus API, as the normalised events a webhook would have
 * brought: new builds and tasks (`created`), status changes (`updated`, with the status the
 * previous poll saw). Pure functions: the poller owns the I/O and the timing.
 */
import type { NormalisedEvent } from '../../../core/event.js';
import { normalisedEventSchema } from '../../../core/event.js';
import type { PolledRepository } from '../../../providers/cirrus/api/client.js';
import type { ApiBuild, ApiRepository, ApiTask } from '../../../providers/cirrus/api/responses.js';
import { normaliseCirrusBuild, normaliseCirrusTask } from '../../../providers/cirrus/normalise.js';

/** One build as a poll saw it, with its repository. */
export interface PolledBuild {
  readonly repository: ApiRepository;
  readonly build: ApiBuild;
}

/** Everything one poll saw: builds by id, and which repositories were visible at all. */
export interface PollSnapshot {
  readonly builds: ReadonlyMap<string, PolledBuild>;
  /** `owner/name` of each repository the poll could see. */
  readonly visible: ReadonlySet<string>;
}

export function snapshotOf(polled: readonly PolledRepository[]): PollSnapshot {
  const builds = new Map<string, PolledBuild>();
  const visible = new Set<string>();
  for (const { repository, builds: list } of polled) {
    if (repository === null) continue;
    visible.add(slugOf(repository));
    for (const build of list) builds.set(build.id, { repository, build });
  }
  return { builds, visible };
}

/**
 * The events between `previous` and `current`. A repository not visible in `previous` (the first
 * poll, or one that just became visible) is a baseline: its builds are history, not news.
 * Within a build, task events come before the build's update, as Cirrus sends them.
 */
export function diffSnapshots(previous: PollSnapshot, current: PollSnapshot, receivedAt: number): NormalisedEvent[] {
  const events: NormalisedEvent[] = [];
  for (const { repository, build } of current.builds.values()) {
    if (!previous.visible.has(slugOf(repository))) continue;
    const before = previous.builds.get(build.id)?.build;
    const tasksBefore = new Map((before?.tasks ?? []).map((task) => [task.id, task]));
    const taskEvents = build.tasks.flatMap((task) => {
      const old = tasksBefore.get(task.id);
      if (old === undefined) return [taskEvent(repository, build, task, null, receivedAt)];
      return old.status === task.status ? [] : [taskEvent(repository, build, task, old.status, receivedAt)];
    });
    if (before === undefined) {
      events.push(buildEvent(repository, build, null, receivedAt), ...taskEvents);
    } else {
      events.push(...taskEvents);
      if (before.status !== build.status) events.push(buildEvent(repository, build, before.status, receivedAt));
    }
  }
  return events;
}

/** The latest builds first, for the tray's "recent builds". */
export function recentBuilds(snapshot: PollSnapshot): PolledBuild[] {
  return [...snapshot.builds.values()].sort((a, b) => createdAt(b.build) - createdAt(a.build));
}

function buildEvent(repository: ApiRepository, build: ApiBuild, previousStatus: string | null, receivedAt: number): NormalisedEvent {
  return normalisedEventSchema.parse({
    // A build can pass through the same status twice (re-runs), so its latest task change makes it unique.
    id: `poll:${build.id}:${build.status}:${buildVersion(build)}`,
    provider: 'cirrus',
    kind: 'build',
    action: previousStatus === null ? 'created' : 'updated',
    receivedAt,
    repository: normalisedRepository(repository),
    build: normalisedBuild(build, previousStatus),
    task: null,
  });
}

function taskEvent(repository: ApiRepository, build: ApiBuild, task: ApiTask, previousStatus: string | null, receivedAt: number): NormalisedEvent {
  return normalisedEventSchema.parse({
    id: `poll:${task.id}:${task.status}`,
    provider: 'cirrus',
    kind: 'task',
    action: previousStatus === null ? 'created' : 'updated',
    receivedAt,
    repository: normalisedRepository(repository),
    // As on a webhook task event, the build's own previous status is not this event's news.
    build: normalisedBuild(build, null),
    task: normaliseCirrusTask(task, previousStatus),
  });
}

function normalisedRepository(repository: ApiRepository) {
  return { id: repository.id, owner: repository.owner, name: repository.name, private: repository.isPrivate };
}

function normalisedBuild(build: ApiBuild, previousStatus: string | null) {
  return normaliseCirrusBuild(build, { title: build.changeMessageTitle, initiator: build.initializer?.username, previousStatus });
}

function buildVersion(build: ApiBuild): number {
  return Math.max(build.buildCreatedTimestamp ?? 0, ...build.tasks.map((task) => task.statusTimestamp ?? 0));
}

function createdAt(build: ApiBuild): number {
  return build.buildCreatedTimestamp ?? build.changeTimestamp ?? 0;
}

function slugOf(repository: ApiRepository): string {
  return `${repository.owner}/${repository.name}`.toLowerCase();
}
