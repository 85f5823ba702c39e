/**
 * Tells the simulated GitLab's story: pipelines go through GitLab's lifecycles on the agenda
 * (created → pending → running → success or failed, stage by stage, a failure skipping the
 * later stages), a pipeline blocks on a manual deploy job until someone plays it (`manual`), and
 * "retry" replaces the failed jobs with new ones and runs the pipeline again. Seeded, so a seed
 * replays a story.
 */
import type { Agenda } from '../agenda.js';
import type { Prng } from '../prng.js';
import type { SimGitlabJob, SimGitlabPipeline, SimGitlabProject, SimGitlabWorld } from './world.js';

export interface PipelineRequest {
  readonly project: SimGitlabProject;
  /** Default: the project's default branch. */
  readonly branch?: string;
  /** A merge request pipeline (ref `refs/merge-requests/<iid>/head`). Default false. */
  readonly mergeRequest?: boolean;
  /** Make one job fail. Default: decided by the seed (one pipeline in four). */
  readonly fail?: boolean;
  /** End with a manual deploy job the pipeline waits on. Default false. */
  readonly manual?: boolean;
}

/** Stages in order, and their jobs; a manual pipeline adds a `deploy` stage. */
const STAGES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['test', ['lint', 'unit tests']],
  ['build', ['package']],
];
const PEOPLE = ['ada', 'grace', 'linus'] as const;
const SUBJECTS = ['Fix the flaky checkout test', 'Cache the dependency tree', 'Bump the runner image', 'Split the integration suite'] as const;
const BRANCHES = ['cache-deps', 'fix/flaky-checkout', 'runner-image'] as const;
const FAILURE_REASONS = ['script_failure', 'script_failure', 'runner_system_failure'] as const;
/** Sim ms between the steps of a pipeline; the clock runner's speed scales them. */
const STEP = { pending: 500, start: 1_000, jobMin: 2_000, jobMax: 5_000 } as const;
const FINAL: ReadonlySet<string> = new Set(['success', 'failed', 'canceled', 'skipped']);

export class GitlabDirector {
  #nextProjectId = 55_120_001;
  #nextPipelineId = 1_544_210_001;
  #nextJobId = 8_120_400_001;
  #iids = new Map<number, number>();
  #mergeRequestIids = new Map<number, number>();
  /** The job to fail on the current run, by pipeline id; retried jobs pass. */
  #failing = new Map<number, string>();

  constructor(
    private readonly world: SimGitlabWorld,
    private readonly agenda: Agenda,
    private readonly prng: Prng,
  ) {}

  addProject(namespace: string, path: string, isPrivate = false, defaultBranch = 'main'): SimGitlabProject {
    const project = { id: this.#nextProjectId++, namespace, path, private: isPrivate, defaultBranch };
    this.world.projects.push(project);
    return project;
  }

  /** Finished pipelines that exist before the start: what a poller's first listing sees. No hooks. */
  seedHistory(perProject: number): void {
    for (const project of this.world.projects) {
      for (let i = 0; i < perProject; i += 1) {
        const at = this.agenda.now() - (perProject - i) * 3_600_000;
        const pipeline = this.#newPipeline({ project }, at);
        pipeline.jobs = this.#newJobs(false, at);
        for (const job of pipeline.jobs) Object.assign(job, { status: 'success', startedAt: at + 1_000, finishedAt: at + 60_000 });
        pipeline.status = 'success';
        pipeline.finishedAt = at + 60_000;
        this.world.changed({ kind: 'pipeline', pipeline }, at + 60_000, false);
      }
    }
  }

  /** The opening scene: a failing pipeline within 15 s, one waiting on a manual job soon after; then arrivals. */
  scheduleOpening(): void {
    const [first, second] = this.world.projects;
    if (first) this.agenda.after(1_000, () => this.startPipeline({ project: first, fail: true }));
    if (second) this.agenda.after(2_000, () => this.startPipeline({ project: second, fail: false, manual: true }));
    this.#scheduleArrival();
  }

  startPipeline(request: PipelineRequest): SimGitlabPipeline {
    const now = this.agenda.now();
    const pipeline = this.#newPipeline(request, now);
    pipeline.jobs = this.#newJobs(request.manual ?? false, now);
    if (request.fail ?? this.prng.chance(0.25)) {
      const runnable = pipeline.jobs.filter((job) => job.when !== 'manual');
      this.#failing.set(pipeline.id, this.prng.pick(runnable).name);
    }
    this.world.changed({ kind: 'pipeline', pipeline }, now);
    for (const job of pipeline.jobs) this.world.changed({ kind: 'job', pipeline, job }, now);
    this.agenda.after(STEP.pending, () => this.#runStage(pipeline, this.#stages(pipeline)[0]!));
    return pipeline;
  }

  /** Plays a manual job; false when it is not waiting for a person. */
  play(pipeline: SimGitlabPipeline, job: SimGitlabJob): boolean {
    if (job.status !== 'manual' || job.retried) return false;
    this.#setJob(pipeline, job, 'pending');
    this.#setPipeline(pipeline, 'running');
    this.agenda.after(STEP.start, () => this.#runJob(pipeline, job));
    return true;
  }

  /** Retries the failed and canceled jobs as new jobs; false when there are none. */
  retry(pipeline: SimGitlabPipeline): boolean {
    const current = pipeline.jobs.filter((job) => !job.retried);
    const failed = current.filter((job) => job.status === 'failed' || job.status === 'canceled');
    if (failed.length === 0) return false;
    const now = this.agenda.now();
    this.#failing.delete(pipeline.id);
    for (const old of failed) {
      old.retried = true;
      const fresh: SimGitlabJob = { ...old, id: this.#nextJobId++, status: 'created', failureReason: null, createdAt: now, startedAt: null, finishedAt: null, retried: false };
      pipeline.jobs.push(fresh);
      this.world.changed({ kind: 'job', pipeline, job: fresh }, now);
    }
    // Jobs a failure skipped get another chance, as GitLab makes them processable again.
    for (const job of current.filter((j) => j.status === 'skipped')) this.#setJob(pipeline, job, 'created');
    pipeline.finishedAt = null;
    this.#setPipeline(pipeline, 'pending');
    const firstStage = this.#stages(pipeline).find((stage) => this.#jobsOf(pipeline, stage).some((job) => job.status === 'created'));
    if (firstStage) this.agenda.after(STEP.pending, () => this.#runStage(pipeline, firstStage));
    return true;
  }

  #newPipeline(request: PipelineRequest, at: number): SimGitlabPipeline {
    const { project } = request;
    const iid = (this.#iids.get(project.id) ?? 0) + 1;
    this.#iids.set(project.id, iid);
    const title = this.prng.pick(SUBJECTS);
    let mergeRequest = null;
    if (request.mergeRequest) {
      const mrIid = (this.#mergeRequestIids.get(project.id) ?? 80) + 1;
      this.#mergeRequestIids.set(project.id, mrIid);
      mergeRequest = { iid: mrIid, title, sourceBranch: request.branch ?? this.prng.pick(BRANCHES) };
    }
    return {
      id: this.#nextPipelineId++,
      iid,
      project,
      ref: mergeRequest ? `refs/merge-requests/${mergeRequest.iid}/head` : (request.branch ?? project.defaultBranch),
      sha: this.prng.hex(40),
      message: `${title}\n\nSimulated by buildbell.\n`,
      user: this.prng.pick(PEOPLE),
      source: mergeRequest ? 'merge_request_event' : 'push',
      mergeRequest,
      status: 'created',
      createdAt: at,
      updatedAt: at,
      finishedAt: null,
      jobs: [],
    };
  }

  #newJobs(manual: boolean, at: number): SimGitlabJob[] {
    const stages: ReadonlyArray<readonly [string, readonly string[]]> = manual ? [...STAGES, ['deploy', ['deploy production']]] : STAGES;
    return stages.flatMap(([stage, names]) =>
      names.map((name): SimGitlabJob => ({
        id: this.#nextJobId++,
        name,
        stage,
        status: 'created',
        when: stage === 'deploy' ? 'manual' : 'on_success',
        // A manual job that must run before the pipeline can finish (GitLab: `allow_failure: false`).
        allowFailure: false,
        failureReason: null,
        createdAt: at,
        startedAt: null,
        finishedAt: null,
        retried: false,
      })),
    );
  }

  #stages(pipeline: SimGitlabPipeline): string[] {
    return [...new Set(pipeline.jobs.map((job) => job.stage))];
  }

  #jobsOf(pipeline: SimGitlabPipeline, stage: string): SimGitlabJob[] {
    return pipeline.jobs.filter((job) => job.stage === stage && !job.retried);
  }

  /** A stage's jobs become pending and start, or, for manual ones, wait; the pipeline follows. */
  #runStage(pipeline: SimGitlabPipeline, stage: string): void {
    const jobs = this.#jobsOf(pipeline, stage).filter((job) => job.status === 'created');
    const manual = jobs.filter((job) => job.when === 'manual');
    const automatic = jobs.filter((job) => job.when !== 'manual');
    for (const job of manual) this.#setJob(pipeline, job, 'manual');
    for (const job of automatic) this.#setJob(pipeline, job, 'pending');
    if (automatic.length === 0) {
      // Only manual jobs left: the pipeline is blocked until someone plays them.
      if (manual.length > 0) this.#setPipeline(pipeline, 'manual');
      return;
    }
    if (pipeline.status !== 'running' && pipeline.status !== 'pending') this.#setPipeline(pipeline, 'pending');
    for (const job of automatic) this.agenda.after(STEP.start, () => this.#runJob(pipeline, job));
  }

  #runJob(pipeline: SimGitlabPipeline, job: SimGitlabJob): void {
    job.startedAt = this.agenda.now();
    this.#setJob(pipeline, job, 'running');
    if (pipeline.status !== 'running') this.#setPipeline(pipeline, 'running');
    this.agenda.after(this.prng.int(STEP.jobMin, STEP.jobMax), () => {
      const fails = this.#failing.get(pipeline.id) === job.name;
      job.finishedAt = this.agenda.now();
      job.failureReason = fails ? this.prng.pick(FAILURE_REASONS) : null;
      this.#setJob(pipeline, job, fails ? 'failed' : 'success');
      this.#afterJob(pipeline, job.stage);
    });
  }

  /** When a stage is done: the next stage, or the pipeline's end (a failure skips what is left). */
  #afterJob(pipeline: SimGitlabPipeline, stage: string): void {
    const jobs = this.#jobsOf(pipeline, stage);
    if (!jobs.every((job) => FINAL.has(job.status))) return;
    const stages = this.#stages(pipeline);
    const later = stages.slice(stages.indexOf(stage) + 1);
    if (jobs.some((job) => job.status === 'failed' && !job.allowFailure)) {
      for (const next of later) for (const job of this.#jobsOf(pipeline, next)) if (job.status === 'created') this.#setJob(pipeline, job, 'skipped');
      return this.#finish(pipeline, 'failed');
    }
    const next = later.find((name) => this.#jobsOf(pipeline, name).some((job) => job.status === 'created'));
    if (next !== undefined) return this.#runStage(pipeline, next);
    if (this.#jobsOf(pipeline, stages.at(-1)!).every((job) => FINAL.has(job.status))) this.#finish(pipeline, 'success');
  }

  #finish(pipeline: SimGitlabPipeline, status: 'success' | 'failed'): void {
    pipeline.finishedAt = this.agenda.now();
    this.#setPipeline(pipeline, status);
  }

  #setJob(pipeline: SimGitlabPipeline, job: SimGitlabJob, status: SimGitlabJob['status']): void {
    job.status = status;
    this.world.changed({ kind: 'job', pipeline, job }, this.agenda.now());
  }

  #setPipeline(pipeline: SimGitlabPipeline, status: SimGitlabPipeline['status']): void {
    pipeline.status = status;
    this.world.changed({ kind: 'pipeline', pipeline }, this.agenda.now());
  }

  #scheduleArrival(): void {
    this.agenda.after(this.prng.int(30_000, 90_000), () => {
      const project = this.prng.pick(this.world.projects);
      this.startPipeline({ project, mergeRequest: this.prng.chance(0.3), manual: this.prng.chance(0.15) });
      this.#scheduleArrival();
    });
  }
}
