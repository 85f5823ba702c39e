/**
 * The simulated GitLab group's state: projects (subgroups included), pipelines and their jobs.
 * Only the director changes it, and every change is announced (as the hook GitLab would send),
 * so the REST API and the deliveries always agree.
 */
import type { GitlabStatus } from '../../providers/gitlab/status.js';

export interface SimGitlabProject {
  readonly id: number;
  /** The namespace's full path: `acme`, or `acme/platform` for a subgroup. */
  readonly namespace: string;
  readonly path: string;
  readonly private: boolean;
  readonly defaultBranch: string;
}

export interface SimGitlabJob {
  readonly id: number;
  readonly name: string;
  readonly stage: string;
  status: GitlabStatus;
  /** `manual`: waits for a person to play it. */
  readonly when: 'on_success' | 'manual';
  readonly allowFailure: boolean;
  failureReason: string | null;
  readonly createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Replaced by a newer job of the same name (a retry): listed only with include_retried. */
  retried: boolean;
}

export interface SimGitlabMergeRequest {
  readonly iid: number;
  readonly title: string;
  readonly sourceBranch: string;
}

export interface SimGitlabPipeline {
  readonly id: number;
  readonly iid: number;
  readonly project: SimGitlabProject;
  /** `main`, or `refs/merge-requests/<iid>/head` for a merge request pipeline. */
  readonly ref: string;
  readonly sha: string;
  readonly message: string;
  readonly user: string;
  readonly source: 'push' | 'merge_request_event';
  readonly mergeRequest: SimGitlabMergeRequest | null;
  status: GitlabStatus;
  readonly createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Every job, retried ones included, in creation order. */
  jobs: SimGitlabJob[];
}

/** What changed, and the hook GitLab would send about it. */
export type SimGitlabChange =
  | { readonly kind: 'pipeline'; readonly pipeline: SimGitlabPipeline }
  | { readonly kind: 'job'; readonly pipeline: SimGitlabPipeline; readonly job: SimGitlabJob };

export function projectFullPath(project: SimGitlabProject): string {
  return `${project.namespace}/${project.path}`;
}

export class SimGitlabWorld {
  readonly projects: SimGitlabProject[] = [];
  readonly pipelines = new Map<number, SimGitlabPipeline>();

  constructor(private readonly announce: (change: SimGitlabChange) => void) {}

  /** A project by id or full path (any case), as the API addresses it. */
  project(ref: string): SimGitlabProject | undefined {
    return this.projects.find((p) => String(p.id) === ref || projectFullPath(p).toLowerCase() === ref.toLowerCase());
  }

  /** Pipelines of a project, most recently updated first (ties: newest first). */
  pipelinesOf(project: SimGitlabProject): SimGitlabPipeline[] {
    return [...this.pipelines.values()].filter((p) => p.project.id === project.id).sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id);
  }

  /** Records that something of `pipeline` changed at `now`; announces it unless it is history being seeded. */
  changed(change: SimGitlabChange, now: number, announce = true): void {
    change.pipeline.updatedAt = now;
    this.pipelines.set(change.pipeline.id, change.pipeline);
    if (announce) this.announce(change);
  }
}
