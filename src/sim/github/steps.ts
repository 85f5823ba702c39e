/**
 * A simulated GitHub job's steps, as `workflow_job.steps` and the REST job list them: set-up and
 * checkout, the job's own step (which fails in a failed job, as `failureStories.ts` tells), then
 * post steps. Derived from the job's status on each render, with no PRNG draw, so the story of
 * every seed is unchanged.
 */
import { simFailureFor } from '../failureStories.js';
import type { SimGithubJob } from './world.js';

export interface SimGithubStep {
  readonly name: string;
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion: 'success' | 'failure' | 'skipped' | 'cancelled' | null;
  readonly number: number;
  readonly started_at: string | null;
  readonly completed_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

export function simJobSteps(job: SimGithubJob): SimGithubStep[] {
  if (job.startedAt === null) return [];
  const names = ['Set up job', 'Run actions/checkout@v4', 'Run actions/setup-node@v4', 'Run npm ci', simFailureFor(job.name).step, 'Post Run actions/checkout@v4', 'Complete job'];
  const own = 4;
  const start = job.startedAt;
  const end = job.completedAt;
  return names.map((name, index) => {
    const at = (offset: number) => iso(start + offset * 1000);
    if (end === null) {
      // Running: the set-up steps are done, the job's own step runs, the rest wait.
      if (index < own) return { name, status: 'completed', conclusion: 'success', number: index + 1, started_at: at(index), completed_at: at(index + 1) };
      if (index === own) return { name, status: 'in_progress', conclusion: null, number: index + 1, started_at: at(own), completed_at: null };
      return { name, status: 'queued', conclusion: null, number: index + 1, started_at: null, completed_at: null };
    }
    // A failed job's own step fails; a cancelled or timed-out one is cancelled there. Either way the post step is skipped.
    const stopped = job.conclusion === 'cancelled' || job.conclusion === 'timed_out';
    const broken = job.conclusion === 'failure' || stopped;
    const conclusion = index === own && broken ? (stopped ? 'cancelled' : 'failure') : broken && index === own + 1 ? 'skipped' : 'success';
    return { name, status: 'completed', conclusion, number: index + 1, started_at: at(Math.min(index, own)), completed_at: iso(index < own ? start + (index + 1) * 1000 : end) };
  });
}
