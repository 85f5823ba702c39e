/**
 * Zod schemas for the parts of GitHub's `workflow_run` and `workflow_job` payloads the notifier
 * reads (octokit/webhooks examples in ../shared/fixtures/github/). Objects are loose: GitHub adds
 * fields often, and an unknown one must never turn a delivery away. The run schema is also what
 * the REST API lists (`GET /repos/{owner}/{repo}/actions/runs`), so the poller shares it.
 */
import { z } from 'zod';
import { githubConclusionSchema, githubStatusSchema } from './status.js';

/** GitHub ids are JSON numbers (safe integers so far); a lossless parse may hand over digits. */
export const githubIdSchema = z
  .union([
    z.string().regex(/^\d{1,40}$/, 'expected an id of digits'),
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'expected an id within 2^53 or a digit string'),
  ])
  .transform((id) => String(id));

const loginSchema = z.string().min(1).max(200);
const userSchema = z.looseObject({ login: loginSchema });
const isoTimeSchema = z.string().max(100);

export const githubRepositorySchema = z.looseObject({
  id: githubIdSchema,
  name: z.string().min(1).max(200),
  owner: userSchema,
  private: z.boolean(),
  html_url: z.url(),
});
export type GithubRepository = z.infer<typeof githubRepositorySchema>;

export const githubRunSchema = z.looseObject({
  id: githubIdSchema,
  /** The workflow's name; an empty string when the workflow has none. */
  name: z.string().max(1000).nullish(),
  /** The commit subject or PR title GitHub shows for the run (added 2022; older payloads lack it). */
  display_title: z.string().nullish(),
  status: githubStatusSchema,
  conclusion: githubConclusionSchema.nullish(),
  head_branch: z.string().max(1000).nullish(),
  head_sha: z.string().max(200).nullish(),
  html_url: z.url(),
  /** 1 for the first attempt; each re-run of the same run id counts up. */
  run_attempt: z.number().int().positive().default(1),
  pull_requests: z.array(z.looseObject({ number: z.number().int().nonnegative() })).default([]),
  actor: userSchema.nullish(),
  /** Who started this attempt (a re-run's initiator may differ from the original actor). */
  triggering_actor: userSchema.nullish(),
  head_commit: z.looseObject({ message: z.string().nullish(), timestamp: isoTimeSchema.nullish() }).nullish(),
  created_at: isoTimeSchema.nullish(),
  updated_at: isoTimeSchema.nullish(),
});
export type GithubRun = z.infer<typeof githubRunSchema>;

/** A step of a job (`workflow_job.steps`, and the REST job). Names are not bounded here: the normaliser cuts them. */
export const githubStepSchema = z.looseObject({
  name: z.string(),
  status: z.string().max(100).nullish(),
  /** `success`, `failure`, `cancelled`, `skipped`; null while it runs. */
  conclusion: z.string().max(100).nullish(),
  number: z.number().int().nullish(),
});
export type GithubStep = z.infer<typeof githubStepSchema>;

export const githubJobSchema = z.looseObject({
  id: githubIdSchema,
  run_id: githubIdSchema,
  run_attempt: z.number().int().positive().default(1),
  name: z.string().max(1000),
  status: githubStatusSchema,
  conclusion: githubConclusionSchema.nullish(),
  head_branch: z.string().max(1000).nullish(),
  head_sha: z.string().max(200).nullish(),
  html_url: z.url().nullish(),
  workflow_name: z.string().max(1000).nullish(),
  /** The job's steps in order; a failed job's first `failure` is the step that failed. */
  steps: z.array(githubStepSchema).max(1000).nullish(),
});
export type GithubJob = z.infer<typeof githubJobSchema>;

export const githubWorkflowRunEventSchema = z.looseObject({
  action: z.string().min(1).max(100),
  workflow_run: githubRunSchema,
  repository: githubRepositorySchema,
  sender: userSchema.nullish(),
});
export type GithubWorkflowRunEvent = z.infer<typeof githubWorkflowRunEventSchema>;

export const githubWorkflowJobEventSchema = z.looseObject({
  action: z.string().min(1).max(100),
  workflow_job: githubJobSchema,
  repository: githubRepositorySchema,
  sender: userSchema.nullish(),
});
export type GithubWorkflowJobEvent = z.infer<typeof githubWorkflowJobEventSchema>;

/** `ping` arrives once when a webhook is created; it is checked for shape only. */
export const githubPingEventSchema = z.looseObject({
  zen: z.string().optional(),
  hook_id: githubIdSchema.optional(),
});
