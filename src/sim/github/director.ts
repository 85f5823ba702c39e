/**
 * Tells the simulated GitHub's story: workflow runs go through GitHub's lifecycles on the agenda
 * (requested → jobs queued → in progress → completed), a fork's pull request waits for approval
 * (`action_required`), a deploy job waits on a protected environment until a reviewer lets it go,
 * and "re-run failed jobs" starts a new attempt of the same run. Seeded, so a seed replays a story.
 */
import type { Agenda } from '../agenda.js';
import type { Prng } from '../prng.js';
import type { SimGithubJob, SimGithubRepository, SimGithubRun, SimGithubWorld } from './world.js';

export interface RunRequest {
  readonly repository: SimGithubRepository;
  /** Default: the repository's default branch. */
  readonly branch?: string;
  /** A pull request from a fork by a first-time contributor: waits for approval. Default false. */
  readonly fork?: boolean;
  /** Make one job fail. Default: decided by the seed (one run in four). */
  readonly fail?: boolean;
  /** Add a deploy job that waits on a protected environment. Default false. */
  readonly environment?: boolean;
}

const JOB_NAMES = ['lint', 'test', 'build'] as const;
const PEOPLE = ['octocat', 'hubot', 'monalisa'] as const;
const SUBJECTS = ['Fix the flaky login test', 'Bump actions/checkout to v4', 'Add dark mode', 'Refactor the cache layer'] as const;
/** A reviewer lets a waiting deployment go after this long (sim ms). */
const ENVIRONMENT_REVIEW_MS = 20_000;

export class GithubDirector {
  #nextRunId = 9_100_000_001;
  #nextJobId = 24_000_000_001;
  #runNumbers = new Map<number, number>();
  /** Jobs to fail on the current attempt, by run id; a re-run's jobs pass. */
  #failing = new Map<number, string>();
  #environments = new Set<number>();

  constructor(
    private readonly world: SimGithubWorld,
    private readonly agenda: Agenda,
    private readonly prng: Prng,
  ) {}

  addRepository(owner: string, name: string, isPrivate = false, defaultBranch = 'main'): SimGithubRepository {
    const repository = { id: 700_000_000 + this.world.repositories.length + 1, owner, name, private: isPrivate, defaultBranch };
    this.world.repositories.push(repository);
    return repository;
  }

  /** Finished runs that exist before the start: what a poller's first listing sees. No webhooks. */
  seedHistory(perRepository: number): void {
    for (const repository of this.world.repositories) {
      for (let i = 0; i < perRepository; i += 1) {
        const run = this.#newRun({ repository }, this.agenda.now() - (perRepository - i) * 3_600_000);
        run.status = 'completed';
        run.conclusion = 'success';
        this.world.changed({ kind: 'workflow_run', action: 'completed', run }, run.createdAt, false);
      }
    }
  }

  /** The opening scene: a fork PR to approve within 5 s, a failing run within 15 s; then arrivals. */
  scheduleOpening(): void {
    const [first, second] = this.world.repositories;
    if (second) this.agenda.after(2_000, () => this.startRun({ repository: second, fork: true, fail: false }));
    if (first) this.agenda.after(1_000, () => this.startRun({ repository: first, fail: true }));
    this.#scheduleArrival();
  }

  startRun(request: RunRequest): SimGithubRun {
    const run = this.#newRun(request, this.agenda.now());
    if (request.fail ?? this.prng.chance(0.25)) this.#failing.set(run.id, this.prng.pick(JOB_NAMES));
    if (request.environment) this.#environments.add(run.id);
    this.world.changed({ kind: 'workflow_run', action: 'requested', run }, this.agenda.now());
    if (request.fork) {
      // GitHub creates the run and holds it: completed, action_required, until someone approves.
      this.agenda.after(500, () => this.#finish(run, 'action_required'));
    } else {
      this.agenda.after(1_000, () => this.#startJobs(run));
    }
    return run;
  }

  /** Approves a run held for approval; false when it is not waiting for one. */
  approve(run: SimGithubRun): boolean {
    if (run.status !== 'completed' || run.conclusion !== 'action_required') return false;
    run.status = 'queued';
    run.conclusion = null;
    this.world.changed({ kind: 'workflow_run', action: 'requested', run }, this.agenda.now());
    this.agenda.after(1_000, () => this.#startJobs(run));
    return true;
  }

  /** Starts a new attempt re-running the failed jobs; false when none failed or the run is not done. */
  rerunFailedJobs(run: SimGithubRun, actor: string): boolean {
    const failed = run.jobs.filter((job) => job.conclusion === 'failure' || job.conclusion === 'cancelled' || job.conclusion === 'timed_out');
    if (run.status !== 'completed' || failed.length === 0) return false;
    run.runAttempt += 1;
    run.triggeringActor = actor;
    run.status = 'queued';
    run.conclusion = null;
    this.#failing.delete(run.id);
    // Passed jobs are carried into the new attempt as they were; only the failed ones run again.
    const kept = run.jobs.filter((job) => !failed.includes(job));
    this.world.changed({ kind: 'workflow_run', action: 'requested', run }, this.agenda.now());
    this.agenda.after(1_000, () => this.#startJobs(run, failed.map((job) => job.name), kept));
    return true;
  }

  #newRun(request: RunRequest, at: number): SimGithubRun {
    const { repository } = request;
    const runNumber = (this.#runNumbers.get(repository.id) ?? 0) + 1;
    this.#runNumbers.set(repository.id, runNumber);
    const actor = request.fork ? 'first-timer' : this.prng.pick(PEOPLE);
    return {
      id: this.#nextRunId++,
      repository,
      workflowName: 'CI',
      runNumber,
      event: request.fork ? 'pull_request' : 'push',
      branch: request.branch ?? (request.fork ? 'patch-1' : repository.defaultBranch),
      sha: this.prng.hex(40),
      title: this.prng.pick(SUBJECTS),
      actor,
      pullRequest: request.fork ? this.prng.int(10, 999) : null,
      status: 'queued',
      conclusion: null,
      runAttempt: 1,
      triggeringActor: actor,
      createdAt: at,
      updatedAt: at,
      jobs: [],
    };
  }

  #startJobs(run: SimGithubRun, names: readonly string[] = JOB_NAMES, kept: SimGithubJob[] = []): void {
    const attempt = run.runAttempt;
    const jobs = names.map((name) => this.#newJob(name, attempt));
    if (this.#environments.has(run.id) && attempt === 1) jobs.push(this.#newJob('deploy', attempt));
    run.jobs = [...kept, ...jobs];
    for (const job of jobs) this.world.changed({ kind: 'workflow_job', action: 'queued', run, job }, this.agenda.now());
    this.agenda.after(1_000, () => {
      run.status = 'in_progress';
      this.world.changed({ kind: 'workflow_run', action: 'in_progress', run }, this.agenda.now());
    });
    for (const job of jobs) {
      if (job.name === 'deploy') this.agenda.after(2_000, () => this.#waitForReview(run, job));
      else this.agenda.after(this.prng.int(2_000, 4_000), () => this.#runJob(run, job));
    }
  }

  #newJob(name: string, runAttempt: number): SimGithubJob {
    return { id: this.#nextJobId++, name, status: 'queued', conclusion: null, runAttempt, createdAt: this.agenda.now(), startedAt: null, completedAt: null };
  }

  #waitForReview(run: SimGithubRun, job: SimGithubJob): void {
    job.status = 'waiting';
    this.world.changed({ kind: 'workflow_job', action: 'waiting', run, job }, this.agenda.now());
    this.agenda.after(ENVIRONMENT_REVIEW_MS, () => this.#runJob(run, job));
  }

  #runJob(run: SimGithubRun, job: SimGithubJob): void {
    job.status = 'in_progress';
    job.startedAt = this.agenda.now();
    this.world.changed({ kind: 'workflow_job', action: 'in_progress', run, job }, this.agenda.now());
    this.agenda.after(this.prng.int(3_000, 8_000), () => {
      job.status = 'completed';
      job.conclusion = this.#failing.get(run.id) === job.name ? 'failure' : 'success';
      job.completedAt = this.agenda.now();
      this.world.changed({ kind: 'workflow_job', action: 'completed', run, job }, this.agenda.now());
      if (run.jobs.every((other) => other.status === 'completed')) {
        this.agenda.after(500, () => this.#finish(run, run.jobs.some((other) => other.conclusion === 'failure') ? 'failure' : 'success'));
      }
    });
  }

  #finish(run: SimGithubRun, conclusion: 'success' | 'failure' | 'action_required'): void {
    run.status = 'completed';
    run.conclusion = conclusion;
    this.world.changed({ kind: 'workflow_run', action: 'completed', run }, this.agenda.now());
  }

  #scheduleArrival(): void {
    this.agenda.after(this.prng.int(30_000, 90_000), () => {
      const repository = this.prng.pick(this.world.repositories);
      this.startRun({ repository, fork: this.prng.chance(0.1), environment: this.prng.chance(0.15) });
      this.#scheduleArrival();
    });
  }
}
