/**
 * What happens in the simulated world, and when: the repositories and people, the finished builds
 * from before the start, the opening scene of a demo, builds arriving at random, and a fix pushed
 * soon after a default branch breaks. Each build, once it exists, is handed to the
 * {@link BuildLifecycle}, which moves it to the end the story chose.
 *
 * All randomness comes from the seeded PRNG, and the order of the draws *is* the story: the same
 * seed replays the same demo and the same failing test. Reordering two draws here (even two
 * arguments of one call) quietly changes what every seed shows.
 */
import type { Agenda } from './agenda.js';
import type { BuildLifecycle, BuildOutcome, FinalBuildStatus } from './buildLifecycle.js';
import type { SimRepositorySpec } from './catalog.js';
import { CONTRIBUTORS, FEATURE_BRANCHES, FIX_TITLES, MAINTAINERS } from './catalog.js';
import type { Prng } from './prng.js';
import type { RecordMaker } from './recordMaker.js';
import { slug, taskTemplatesFor } from './recordMaker.js';
import type { SimBuild, SimRepository, SimUser, SimWorld } from './world.js';

/** A build to start now; everything left out is chosen like a real push would be. */
export interface BuildRequest {
  /** `owner/name` of a simulated repository. */
  readonly repository: string;
  /** Default: the repository's default branch (or `pull/<n>` for a pull request). */
  readonly branch?: string;
  /** Default: none (a push). */
  readonly pullRequest?: number;
  /** Default: random, weighted by whether the branch is currently broken. */
  readonly outcome?: BuildOutcome;
  /** An outside contributor's pull request: waits in NEEDS_APPROVAL. Default: false. */
  readonly needsApproval?: boolean;
  /** Commit subject. Default: a random one. */
  readonly title?: string;
}

export class Story {
  private readonly users = new Map<string, SimUser>();
  /** `<repository id>:<branch>` of every branch whose last build failed or errored. */
  private readonly broken = new Set<string>();
  private readonly nextPullRequest = new Map<string, number>();

  constructor(
    private readonly world: SimWorld,
    private readonly agenda: Agenda,
    private readonly prng: Prng,
    private readonly records: RecordMaker,
    private readonly lifecycle: BuildLifecycle,
  ) {
    // The users' ids are the first draws of every story.
    for (const name of MAINTAINERS) this.users.set(name, { id: records.newId(), username: name, canWrite: true });
    for (const name of CONTRIBUTORS) this.users.set(name, { id: records.newId(), username: name, canWrite: false });
  }

  addRepository(spec: SimRepositorySpec): SimRepository {
    const repository = this.records.newRepository(spec);
    this.world.addRepository(repository);
    // Pull request numbers start somewhere in the middle, as in a repository with a past.
    this.nextPullRequest.set(repository.id, this.prng.int(10, 200));
    return repository;
  }

  /** Finished builds from before the simulation started, made silently (no webhooks). */
  seedHistory(buildsPerRepository: number): void {
    const now = this.agenda.now();
    for (const repository of this.world.repositories()) {
      for (let i = buildsPerRepository; i >= 1; i -= 1) {
        const at = now - i * this.prng.int(8, 20) * 60_000;
        const onDefault = i === 1 || this.prng.chance(0.6);
        // The newest default-branch build passes, so the opening failure is a real "broke".
        const outcome = i === 1 || this.prng.chance(0.8) ? 'COMPLETED' : 'FAILED';
        const branch = onDefault ? repository.defaultBranch : this.prng.pick(FEATURE_BRANCHES);
        const build = this.world.addBuild(this.records.newBuild(repository, { branch, at, user: this.maintainer() }), false);
        build.executingSince = at + 1000;
        const failing = outcome === 'FAILED' ? this.prng.int(0, 1) : -1;
        // History has no deploys: they would need the lifecycle's waiting, and no one sees them.
        taskTemplatesFor(repository, branch).filter((t) => !t.deploy).forEach((template, index) => {
          const task = this.world.addTask(this.records.newTask(build, template, index, at), false);
          task.executingTimestamp = at + 1000;
          const finishedAt = at + 1000 + this.records.taskSeconds(template) * 1000;
          this.world.setTaskStatus(task, index === failing ? 'FAILED' : 'COMPLETED', finishedAt, false);
        });
        this.world.setBuildStatus(build, outcome, at + 60_000, false);
      }
    }
  }

  /**
   * The opening of a demo: the first repository's default branch breaks within seconds (its
   * failure webhooks arrive within 15 s at speed 1), an outside contributor's pull request waits
   * for approval, and from then on builds arrive every 12 to 40 s.
   */
  scheduleOpening(): void {
    const [first, second] = this.world.repositories();
    if (first) this.agenda.after(1000, () => this.startBuild({ repository: slug(first), outcome: 'fail', title: 'Speed up the test suite' }));
    if (second) this.agenda.after(5000, () => this.startBuild({ repository: slug(second), needsApproval: true, pullRequest: this.pullRequestNumber(second) }));
    this.scheduleArrival(this.prng.int(12_000, 20_000));
  }

  /** A build arrives now: who pushed it and how it will end are chosen here, the rest is the lifecycle's. */
  startBuild(request: BuildRequest): SimBuild {
    const [owner = '', name = ''] = request.repository.split('/');
    const repository = this.world.repositoryByName(owner, name);
    if (!repository) throw new RangeError(`the simulator has no repository '${request.repository}'`);
    const pullRequest = request.pullRequest ?? null;
    const branch = request.branch ?? (pullRequest === null ? repository.defaultBranch : `pull/${pullRequest}`);
    const user = request.needsApproval ? this.contributor() : this.maintainer();
    const build = this.world.addBuild(
      this.records.newBuild(repository, { branch, at: this.agenda.now(), user, pullRequest, title: request.title }),
    );
    const outcome = request.outcome ?? this.randomOutcome(repository, branch);
    this.lifecycle.begin(build, outcome, request.needsApproval === true);
    return build;
  }

  /** The lifecycle's report of a finished build: keeps track of broken branches and fixes them. */
  buildFinished(build: SimBuild, status: FinalBuildStatus): void {
    const repository = this.world.repository(build.repositoryId)!;
    const key = `${repository.id}:${build.branch}`;
    const wasBroken = this.broken.has(key);
    if (status === 'COMPLETED') this.broken.delete(key);
    if (status === 'FAILED' || status === 'ERRORED') this.broken.add(key);
    // A default branch that just broke gets a fix pushed a little later: the "fixed" story.
    if (!wasBroken && this.broken.has(key) && build.branch === repository.defaultBranch && build.pullRequest === null) {
      this.agenda.after(this.prng.int(15_000, 30_000), () =>
        this.startBuild({ repository: slug(repository), outcome: this.prng.chance(0.85) ? 'pass' : 'fail', title: this.prng.pick(FIX_TITLES) }),
      );
    }
  }

  /** Next arrival: half are pushes, 35 % pull requests, 15 % outside contributors' pull requests. */
  private scheduleArrival(delayMs: number): void {
    this.agenda.after(delayMs, () => {
      const repository = this.prng.pick(this.world.repositories());
      const roll = this.prng.next();
      if (roll < 0.5) this.startBuild({ repository: slug(repository) });
      else if (roll < 0.85) this.startBuild({ repository: slug(repository), pullRequest: this.pullRequestNumber(repository) });
      else this.startBuild({ repository: slug(repository), pullRequest: this.pullRequestNumber(repository), needsApproval: true });
      this.scheduleArrival(this.prng.int(12_000, 40_000));
    });
  }

  /** A broken branch is likely fixed by the next build; a healthy one mostly stays green. */
  private randomOutcome(repository: SimRepository, branch: string): BuildOutcome {
    if (this.broken.has(`${repository.id}:${branch}`)) return this.prng.chance(0.35) ? 'fail' : 'pass';
    const roll = this.prng.next();
    return roll < 0.2 ? 'fail' : roll < 0.24 ? 'abort' : roll < 0.28 ? 'error' : 'pass';
  }

  private pullRequestNumber(repository: SimRepository): number {
    const next = this.nextPullRequest.get(repository.id) ?? 1;
    this.nextPullRequest.set(repository.id, next + 1);
    return next;
  }

  private maintainer(): SimUser {
    return this.users.get(this.prng.pick(MAINTAINERS))!;
  }

  private contributor(): SimUser {
    return this.users.get(this.prng.pick(CONTRIBUTORS))!;
  }
}
