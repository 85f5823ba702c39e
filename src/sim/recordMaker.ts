/**
 * Makes the records of the simulated world (ids, builds, tasks) with their random details: a
 * commit sha, a title, how long a task takes. Both the story and the lifecycle make records, so
 * the making lives here once.
 *
 * Every method draws from the seeded PRNG, and the order of the draws is part of the story: the
 * same seed must make the same ids and shas. Do not reorder the fields of the records below or
 * add draws without accepting that every seed then tells another story.
 */
import type { SimRepositorySpec, TaskTemplate } from './catalog.js';
import { COMMIT_TITLES, GENERIC_TASKS, TASKS_BY_REPOSITORY } from './catalog.js';
import type { Prng } from './prng.js';
import type { SimBuild, SimRepository, SimTask, SimUser } from './world.js';

/** What a new build needs beyond its repository; `title` left out draws a random commit subject. */
export interface NewBuildDetails {
  readonly branch: string;
  /** When the build was created, epoch ms (sim time). */
  readonly at: number;
  readonly user: SimUser | null;
  readonly pullRequest?: number | null;
  readonly title?: string | undefined;
}

export class RecordMaker {
  private readonly ids = new Set<string>();

  constructor(private readonly prng: Prng) {}

  /** A 16-digit id like Cirrus's (below 2^53, so webhooks can carry it as a JSON number). */
  newId(): string {
    for (;;) {
      const id = String(4_500_000_000_000_000 + Math.floor(this.prng.next() * 2_000_000_000_000_000));
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return id;
      }
    }
  }

  newRepository(spec: SimRepositorySpec): SimRepository {
    return {
      id: this.newId(),
      owner: spec.owner,
      name: spec.name,
      isPrivate: spec.isPrivate ?? false,
      defaultBranch: spec.defaultBranch ?? 'main',
    };
  }

  /** A build in CREATED, not yet in the world. */
  newBuild(repository: SimRepository, details: NewBuildDetails): SimBuild {
    const title = details.title ?? this.prng.pick(COMMIT_TITLES);
    return {
      id: this.newId(),
      repositoryId: repository.id,
      branch: details.branch,
      changeIdInRepo: this.prng.hex(40),
      changeMessageTitle: title,
      changeMessage: `${title}\n\nSimulated commit.`,
      changeTimestamp: details.at - this.prng.int(20_000, 600_000),
      buildCreatedTimestamp: details.at,
      pullRequest: details.pullRequest ?? null,
      user: details.user,
      status: 'CREATED',
      taskIds: [],
      executingSince: null,
      durationInSeconds: null,
    };
  }

  /**
   * A task in CREATED, not yet in the world. `all` is the build's whole task list: a deploy task
   * requires every other task of it, as Cirrus's `depends_on` would.
   */
  newTask(build: SimBuild, template: TaskTemplate, index: number, at: number, all: readonly TaskTemplate[] = []): SimTask {
    return {
      id: this.newId(),
      buildId: build.id,
      repositoryId: build.repositoryId,
      name: template.name,
      nameAlias: template.alias,
      localGroupId: index,
      requiredGroups: template.deploy ? all.map((_, i) => i).filter((i) => i !== index) : [],
      instanceType: template.instanceType,
      timeoutInSeconds: 3600,
      creationTimestamp: at,
      previousRunIds: [],
      manualRerunCount: 0,
      status: 'CREATED',
      statusTimestamp: at,
      scheduledTimestamp: null,
      executingTimestamp: null,
      finalStatusTimestamp: null,
    };
  }

  /** How long one run of a task takes, within its template's range. */
  taskSeconds(template: TaskTemplate): number {
    return this.prng.int(template.seconds[0], template.seconds[1]);
  }
}

/** The tasks a build of `branch` gets: deploy tasks only on a push to the default branch. Draws nothing. */
export function taskTemplatesFor(repository: SimRepository, branch: string, pullRequest: number | null = null): readonly TaskTemplate[] {
  const templates = TASKS_BY_REPOSITORY[repository.name] ?? GENERIC_TASKS;
  const deploys = branch === repository.defaultBranch && pullRequest === null;
  return templates.filter((t) => deploys || !t.deploy);
}

export function slug(repository: SimRepository): string {
  return `${repository.owner}/${repository.name}`;
}
