/**
 * The Cirrus simulator's director: the one object the simulator and the GraphQL API talk to about
 * what happens in the world. It only wires three parts together:
 *
 * - `story.ts`: which builds happen and when (history, the opening scene, random arrivals, fixes
 *   for broken branches), and how each should end;
 * - `buildLifecycle.ts`: how one build and its tasks move through their statuses to that end, and
 *   the mutations that restart them (approve, re-run, retrigger);
 * - `recordMaker.ts`: the ids, builds and tasks both of them create.
 *
 * All three draw from one seeded PRNG, so the same seed tells the same story.
 */
import type { Agenda } from './agenda.js';
import { BuildLifecycle } from './buildLifecycle.js';
import type { SimRepositorySpec } from './catalog.js';
import type { Prng } from './prng.js';
import { RecordMaker } from './recordMaker.js';
import type { BuildRequest } from './story.js';
import { Story } from './story.js';
import type { SimBuild, SimRepository, SimTask, SimWorld } from './world.js';

// Callers import these from the director; they live with the part that uses them.
export type { BuildOutcome } from './buildLifecycle.js';
export { StateError } from './buildLifecycle.js';
export type { BuildRequest } from './story.js';

export class Director {
  private readonly story: Story;
  private readonly lifecycle: BuildLifecycle;

  constructor(world: SimWorld, agenda: Agenda, prng: Prng) {
    const records = new RecordMaker(prng);
    // The lifecycle reports finished builds to the story, which may push a fix; the story hands
    // every new build to the lifecycle. Of the three constructors only the story's draws from the
    // PRNG: the users' ids are the first draws of every seed.
    this.lifecycle = new BuildLifecycle(world, agenda, prng, records, (build, status) => this.story.buildFinished(build, status));
    this.story = new Story(world, agenda, prng, records, this.lifecycle);
  }

  addRepository(spec: SimRepositorySpec): SimRepository {
    return this.story.addRepository(spec);
  }

  /** Finished builds from before the simulation started, made silently (no webhooks). */
  seedHistory(buildsPerRepository: number): void {
    this.story.seedHistory(buildsPerRepository);
  }

  /** The opening scene of a demo, then random arrivals; see {@link Story.scheduleOpening}. */
  scheduleOpening(): void {
    this.story.scheduleOpening();
  }

  startBuild(request: BuildRequest): SimBuild {
    return this.story.startBuild(request);
  }

  /** The `approve` mutation: a waiting build triggers at once. */
  approve(build: SimBuild): void {
    this.lifecycle.approve(build);
  }

  /** The `batchReRun` mutation: each finished task runs again as a new task; the build runs again. */
  rerun(tasks: readonly SimTask[]): SimTask[] {
    return this.lifecycle.rerun(tasks);
  }

  /** The `retrigger` mutation: a finished build starts over with fresh tasks. */
  retrigger(build: SimBuild): void {
    this.lifecycle.retrigger(build);
  }
}
