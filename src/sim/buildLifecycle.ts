/**
 * How one build and its tasks move through their statuses once the story has decided the build
 * exists and how it should end: CREATED → NEEDS_APPROVAL or TRIGGERED → EXECUTING → a final
 * status, with each task going CREATED → SCHEDULED → EXECUTING → final on the agenda. Also the
 * API's mutations that restart that movement (approve, re-run, retrigger).
 *
 * The lifecycle decides nothing about *which* builds happen; it tells the story when a build has
 * finished (`onFinished`), so the story can react (a fix for a branch that just broke). The draws
 * from the PRNG happen inside agenda callbacks in a fixed order: the same seed replays the same
 * timings, so keep that order when changing anything here.
 */
import type { Agenda } from './agenda.js';
import type { Prng } from './prng.js';
import type { RecordMaker } from './recordMaker.js';
import { taskTemplatesFor } from './recordMaker.js';
import type { SimBuild, SimTask, SimWorld } from './world.js';
import { FINAL_BUILD_STATUSES, FINAL_TASK_STATUSES } from './world.js';

/** How a build is meant to end. `error`: the config fails to parse, so it never gets tasks. */
export type BuildOutcome = 'pass' | 'fail' | 'abort' | 'error';

/** A final status of a whole build. */
export type FinalBuildStatus = 'FAILED' | 'COMPLETED' | 'ABORTED' | 'ERRORED';

/** A mutation asked for something the build's or task's state does not allow. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

type FinalTaskStatus = 'COMPLETED' | 'FAILED' | 'ABORTED';
/** Decided when a task is created, so its end is known before it runs. */
interface TaskPlan { readonly seconds: number; readonly final: FinalTaskStatus; readonly deploy: boolean }

/** Sim milliseconds between the steps of a lifecycle; the agenda's `speed` scales them all. */
const STEP = { trigger: 400, schedule: 300, startMin: 500, startMax: 1500 } as const;

export class BuildLifecycle {
  private readonly plans = new Map<string, TaskPlan>();
  private readonly outcomes = new Map<string, BuildOutcome>();

  constructor(
    private readonly world: SimWorld,
    private readonly agenda: Agenda,
    private readonly prng: Prng,
    private readonly records: RecordMaker,
    /** Told after a build reaches a final status (the world has already announced it). */
    private readonly onFinished: (build: SimBuild, status: FinalBuildStatus) => void,
  ) {}

  /**
   * Sets a new build (already in the world, in CREATED) on its way to `outcome`. A moment later it
   * errors (a config that does not parse), waits for approval, or triggers.
   */
  begin(build: SimBuild, outcome: BuildOutcome, needsApproval: boolean): void {
    this.outcomes.set(build.id, outcome);
    this.agenda.after(STEP.trigger, () => {
      if (outcome === 'error') this.finish(build, 'ERRORED');
      else if (needsApproval) this.world.setBuildStatus(build, 'NEEDS_APPROVAL', this.agenda.now());
      else this.trigger(build);
    });
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
        id: this.records.newId(),
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

  /** TRIGGERED: the build gets its tasks, each planned now (how long, how it ends), and they start. */
  private trigger(build: SimBuild): void {
    const repository = this.world.repository(build.repositoryId)!;
    const outcome = this.outcomes.get(build.id) ?? 'pass';
    const now = this.agenda.now();
    this.world.setBuildStatus(build, 'TRIGGERED', now);
    const templates = taskTemplatesFor(repository, build.branch, build.pullRequest);
    const runnable = templates.filter((t) => !t.deploy);
    // A failing or aborted build has exactly one bad task, drawn among those before the deploy
    // task (the catalog lists deploy last), so a deploy is skipped, never the one that fails.
    const failing = outcome === 'fail' || outcome === 'abort' ? this.prng.int(0, runnable.length - 1) : -1;
    const tasks = templates.map((template, index) => {
      const task = this.world.addTask(this.records.newTask(build, template, index, now, templates));
      const final: FinalTaskStatus = index !== failing ? 'COMPLETED' : outcome === 'abort' ? 'ABORTED' : 'FAILED';
      this.plans.set(task.id, { seconds: this.records.taskSeconds(template), final, deploy: template.deploy === true });
      return task;
    });
    // Deploy waits for the others: `afterTaskFinished` starts or skips it.
    for (const task of tasks) if (!this.plans.get(task.id)!.deploy) this.runTask(task);
  }

  /** One task: SCHEDULED, then EXECUTING (the build with it), then its planned final status. */
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

  private finish(build: SimBuild, status: FinalBuildStatus): void {
    this.world.setBuildStatus(build, status, this.agenda.now());
    this.onFinished(build, status);
  }
}
