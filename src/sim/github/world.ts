/**
 * The simulated GitHub organisation's state: repositories, workflow runs and their jobs. Only the
 * director changes it, and every change is announced (as the webhook GitHub would send), so the
 * REST API and the deliveries always agree.
 */
import type { GithubConclusion, GithubStatus } from '../../providers/github/status.js';

export interface SimGithubRepository {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly private: boolean;
  readonly defaultBranch: string;
}

export interface SimGithubJob {
  readonly id: number;
  readonly name: string;
  status: GithubStatus;
  conclusion: GithubConclusion | null;
  readonly runAttempt: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

export interface SimGithubRun {
  readonly id: number;
  readonly repository: SimGithubRepository;
  readonly workflowName: string;
  readonly runNumber: number;
  readonly event: 'push' | 'pull_request';
  readonly branch: string;
  readonly sha: string;
  readonly title: string;
  readonly actor: string;
  /** Set for a pull request run. */
  readonly pullRequest: number | null;
  status: GithubStatus;
  conclusion: GithubConclusion | null;
  runAttempt: number;
  triggeringActor: string;
  readonly createdAt: number;
  updatedAt: number;
  /** Jobs of the current attempt, in start order. */
  jobs: SimGithubJob[];
}

/** What changed, and the event GitHub would send about it. */
export type SimGithubChange =
  | { readonly kind: 'workflow_run'; readonly action: 'requested' | 'in_progress' | 'completed'; readonly run: SimGithubRun }
  | { readonly kind: 'workflow_job'; readonly action: 'queued' | 'in_progress' | 'waiting' | 'completed'; readonly run: SimGithubRun; readonly job: SimGithubJob };

export class SimGithubWorld {
  readonly repositories: SimGithubRepository[] = [];
  readonly runs = new Map<number, SimGithubRun>();
  /** Bumped on every change to a repository's runs: the REST API's ETag derives from it. */
  readonly #versions = new Map<number, number>();

  constructor(private readonly announce: (change: SimGithubChange) => void) {}

  repository(owner: string, name: string): SimGithubRepository | undefined {
    return this.repositories.find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
  }

  /** Runs of a repository, newest first (as GitHub lists them). */
  runsOf(repository: SimGithubRepository): SimGithubRun[] {
    return [...this.runs.values()].filter((run) => run.repository.id === repository.id).sort((a, b) => b.id - a.id);
  }

  version(repository: SimGithubRepository): number {
    return this.#versions.get(repository.id) ?? 0;
  }

  /** Records that `run` changed at `now`; announces it unless it is history being seeded. */
  changed(change: SimGithubChange, now: number, announce = true): void {
    change.run.updatedAt = now;
    this.runs.set(change.run.id, change.run);
    this.#versions.set(change.run.repository.id, this.version(change.run.repository) + 1);
    if (announce) this.announce(change);
  }
}
