/**
 * What happens in the simulated world, and when: builds arrive, wait for approval, trigger,
 * run their tasks (CREATED → SCHEDULED → EXECUTING → final), and finish; a broken default branch
 * gets a fix commit a little later, so "fixed" transitions happen too. Also the reactions to the
 * API's mutations (approve, re-run, retrigger). All randomness comes from the seeded PRNG and all
 * timing from the agenda, so the same seed replays the same story.
 */
import type { Agenda } from './agenda.js';
import type { SimRepositorySpec, TaskTemplate } from './catalog.js';
import { COMMIT_TITLES, CONTRIBUTORS, FEATURE_BRANCHES, FIX_TITLES, GENERIC_TASKS, MAINTAINERS, TASKS_BY_REPOSITORY } from './catalog.js';
import type { Prng } from './prng.js';
import type { SimBuild, SimRepository, SimTask, SimUser, SimWorld } from './world.js';
import { FINAL_BUILD_STATUSES, FINAL_TASK_STATUSES } from './world.js';

/** How a build is meant to end. `error`: the config fails to parse, so it never gets tasks. */
export type BuildOutcome = 'pass' | 'fail' | 'abort' | 'error';

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

type FinalTaskStatus = 'COMPLETED' | 'FAILED' | 'ABORTED';
interface TaskPlan { readonly seconds: number; readonly final: FinalTaskStatus; readonly deploy: boolean }

/** Sim milliseconds between the steps of a lifecycle; the agenda's `speed` scales them all. */
const STEP = { trigger: 400, schedule: 300, startMin: 500, startMax: 1500 } as const;

export class Director {
  private readonly users = new Map<string, SimUser>();
  private readonly ids = new Set<string>();
  private readonly plans = new Map<string, TaskPlan>();
  private readonly outcomes = new Map<string, BuildOutcome>();
  private readonly broken = new Set<string>();
  private readonly nextPullRequest = new Map<string, number>();

  constructor(
    private readonly world: SimWorld,
    private readonly agenda: Agenda,
    private readonly prng: Prng,
  ) {
    for (const name of MAINTAINERS) this.users.set(name, { id: this.newId(), username: name, canWrite: true });
    for (const name of CONTRIBUTORS) this.users.set(name, { id: this.newId(), username: name, canWrite: false });
  }

  addRepository(spec: SimRepositorySpec): SimRepository {
    const repository = {
      id: this.newId(),
      owner: spec.owner,
      name: spec.name,
      isPrivate: spec.isPrivate ?? false,
      defaultBranch: spec.defaultBranch ?? 'main',
    };
    this.world.addRepository(repository);
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
        const outcome: FinalTaskStatus = i === 1 || this.prng.chance(0.8) ? 'COMPLETED' : 'FAILED';
        const branch = onDefault ? repository.defaultBranch : this.prng.pick(FEATURE_BRANCHES);
        const build = this.world.addBuild(this.newBuild(repository, { branch, at, user: this.maintainer() }), false);
        build.executingSince = at + 1000;
        const failing = outcome === 'FAILED' ? this.prng.int(0, 1) : -1;
        this.templatesFor(repository, branch).filter((t) => !t.deploy).forEach((template, index) => {
          const task = this.world.addTask(this.newTask(build, template, index, at), false);
          task.executingTimestamp = at + 1000;
          this.world.setTaskStatus(task, index === failing ? 'FAILED' : 'COMPLETED', at + 1000 + this.seconds(template) * 1000, false);
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

  startBuild(request: BuildRequest): SimBuild {
    const [owner = '', name = ''] = request.repository.split('/');
    const repository = this.world.repositoryByName(owner, name);
    if (!repository) throw new RangeError(`the simulator has no repository '${request.repository}'`);
    const pullRequest = request.pullRequest ?? null;
    const branch = request.branch ?? (pullRequest === null ? repository.defaultBranch : `pull/${pullRequest}`);
    const user = request.needsApproval ? this.contributor() : this.maintainer();
    const build = this.world.addBuild(
      this.newBuild(repository, { branch, at: this.agenda.now(), user, pullRequest, title: request.title }),
    );
    const outcome = request.outcome ?? this.randomOutcome(repository, branch);
    this.outcomes.set(build.id, outcome);
    this.agenda.after(STEP.trigger, () => {
      if (outcome === 'error') this.finish(build, 'ERRORED');
      else if (request.needsApproval) this.world.setBuildStatus(build, 'NEEDS_APPROVAL', this.agenda.now());
      else this.trigger(build);
    });
    return build;
  }

  /** The `approve` mutation: a waiting build triggers at once. */
  approve(build: SimBuild): void {
    if (build.status !== 'NEEDS_APPROVAL') throw new StateError(`Build ${build.id} is ${build.status}, not waiting for approval`);
    this.trigger(build);
  }

  /** The `batchReRun` mutation: each finished task runs again as a new task; the build runs again. */
  rerun(tasks: readonly SimTask[]): SimTask[] {
    for (const task of tasks) {
      if (!FINAL_TASK_STATUSES.has(task.status)) throw new StateError(`Task ${task.id} is ${task.status}; only finished tasks can be re-run`);
    }
    const now = this.agenda.now();
    const created = tasks.map((old) => {
      const build = this.world.build(old.buildId)!;
      const task = this.world.addTask({
        ...old,
        id: this.newId(),
        status: 'CREATED',
        creationTimestamp: now,
        statusTimestamp: now,
        scheduledTimestamp: null,
        executingTimestamp: null,
        finalStatusTimestamp: null,
        previousRunIds: [...old.previousRunIds, old.id],
        manualRerunCount: old.manualRerunCount + 1,
      });
      const previous = this.plans.get(old.id);
      // Most failures that a person re-runs were flaky: three in four pass the second time.
      const final: FinalTaskStatus = this.prng.chance(0.75) ? 'COMPLETED' : (previous?.final ?? 'FAILED');
      this.plans.set(task.id, { seconds: previous?.seconds ?? 5, final, deploy: previous?.deploy ?? false });
      if (FINAL_BUILD_STATUSES.has(build.status)) this.world.setBuildStatus(build, 'EXECUTING', now);
      return task;
    });
    for (const task of created) this.runTask(task);
    return created;
  }

  /** The `retrigger` mutation: a finished build starts over with fresh tasks. */
  retrigger(build: SimBuild): void {
    if (!FINAL_BUILD_STATUSES.has(build.status)) throw new StateError(`Build ${build.id} is ${build.status}; only a finished build can be retriggered`);
    build.taskIds = [];
    this.outcomes.set(build.id, this.prng.chance(0.8) ? 'pass' : 'fail');
    this.world.setBuildStatus(build, 'CREATED', this.agenda.now());
    this.agenda.after(STEP.trigger, () => this.trigger(build));
  }

  private trigger(build: SimBuild): void {
    const repository = this.world.repository(build.repositoryId)!;
    const outcome = this.outcomes.get(build.id) ?? 'pass';
    const now = this.agenda.now();
    this.world.setBuildStatus(build, 'TRIGGERED', now);
    const templates = this.templatesFor(repository, build.branch, build.pullRequest);
    const runnable = templates.filter((t) => !t.deploy);
    const failing = outcome === 'fail' || outcome === 'abort' ? this.prng.int(0, runnable.length - 1) : -1;
    const tasks = templates.map((template, index) => {
      const task = this.world.addTask(this.newTask(build, template, index, now, templates));
      const final: FinalTaskStatus = index !== failing ? 'COMPLETED' : outcome === 'abort' ? 'ABORTED' : 'FAILED';
      this.plans.set(task.id, { seconds: this.seconds(template), final, deploy: template.deploy === true });
      return task;
    });
    for (const task of tasks) if (!this.plans.get(task.id)!.deploy) this.runTask(task);
  }

  private runTask(task: SimTask): void {
    const plan = this.plans.get(task.id)!;
    const build = this.world.build(task.buildId)!;
    this.agenda.after(STEP.schedule, () => {
      this.world.setTaskStatus(task, 'SCHEDULED', this.agenda.now());
      this.agenda.after(this.prng.int(STEP.startMin, STEP.startMax), () => {
        this.world.setTaskStatus(task, 'EXECUTING', this.agenda.now());
        if (build.status !== 'EXECUTING') this.world.setBuildStatus(build, 'EXECUTING', this.agenda.now());
        this.agenda.after(plan.seconds * 1000, () => {
          this.world.setTaskStatus(task, plan.final, this.agenda.now());
          this.afterTaskFinished(build);
        });
      });
    });
  }

  private afterTaskFinished(build: SimBuild): void {
    const tasks = this.world.tasksOf(build);
    const others = tasks.filter((t) => !this.plans.get(t.id)?.deploy);
    const deploy = tasks.find((t) => this.plans.get(t.id)?.deploy && t.status === 'CREATED');
    if (deploy && others.every((t) => FINAL_TASK_STATUSES.has(t.status))) {
      // Deploy needs every other task green; after a failure it is skipped, as Cirrus does.
      if (others.some((t) => t.status === 'FAILED' || t.status === 'ABORTED')) this.world.setTaskStatus(deploy, 'SKIPPED', this.agenda.now());
      else return this.runTask(deploy);
    }
    if (!tasks.every((t) => FINAL_TASK_STATUSES.has(t.status))) return;
    const status = tasks.some((t) => t.status === 'FAILED') ? 'FAILED' : tasks.some((t) => t.status === 'ABORTED') ? 'ABORTED' : 'COMPLETED';
    this.finish(build, status);
  }

  private finish(build: SimBuild, status: 'FAILED' | 'COMPLETED' | 'ABORTED' | 'ERRORED'): void {
    this.world.setBuildStatus(build, status, this.agenda.now());
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

  private randomOutcome(repository: SimRepository, branch: string): BuildOutcome {
    if (this.broken.has(`${repository.id}:${branch}`)) return this.prng.chance(0.35) ? 'fail' : 'pass';
    const roll = this.prng.next();
    return roll < 0.2 ? 'fail' : roll < 0.24 ? 'abort' : roll < 0.28 ? 'error' : 'pass';
  }

  private templatesFor(repository: SimRepository, branch: string, pullRequest: number | null = null): readonly TaskTemplate[] {
    const templates = TASKS_BY_REPOSITORY[repository.name] ?? GENERIC_TASKS;
    const deploys = branch === repository.defaultBranch && pullRequest === null;
    return templates.filter((t) => deploys || !t.deploy);
  }

  private newBuild(
    repository: SimRepository,
    o: { branch: string; at: number; user: SimUser | null; pullRequest?: number | null; title?: string | undefined },
  ): SimBuild {
    const title = o.title ?? this.prng.pick(COMMIT_TITLES);
    return {
      id: this.newId(),
      repositoryId: repository.id,
      branch: o.branch,
      changeIdInRepo: this.prng.hex(40),
      changeMessageTitle: title,
      changeMessage: `${title}\n\nSimulated commit.`,
      changeTimestamp: o.at - this.prng.int(20_000, 600_000),
      buildCreatedTimestamp: o.at,
      pullRequest: o.pullRequest ?? null,
      user: o.user,
      status: 'CREATED',
      taskIds: [],
      executingSince: null,
      durationInSeconds: null,
    };
  }

  private newTask(build: SimBuild, template: TaskTemplate, index: number, at: number, all: readonly TaskTemplate[] = []): SimTask {
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

  private seconds(template: TaskTemplate): number {
    return this.prng.int(template.seconds[0], template.seconds[1]);
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

  /** A 16-digit id like Cirrus's (below 2^53, so webhooks can carry it as a JSON number). */
  private newId(): string {
    for (;;) {
      const id = String(4_500_000_000_000_000 + Math.floor(this.prng.next() * 2_000_000_000_000_000));
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return id;
      }
    }
  }
}

/** A mutation asked for something the build's or task's state does not allow. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

function slug(repository: SimRepository): string {
  return `${repository.owner}/${repository.name}`;
}
