/**
 * Zod schemas for the parts of GitLab's REST v4 answers the poller and the actions read
 * (GitLab docs, "Pipelines API", "Jobs API", "Projects API"). Objects are loose: a field GitLab
 * adds must never break polling. Ids are numbers in JSON; the lossless parse hands those past 2^53
 * over as digit strings, and the schema keeps both as strings. Texts are bounded, so a hostile
 * or broken server gets a response error naming the field, never a crash further in.
 */
import { z } from 'zod';
import { gitlabIdSchema, projectPathSchema } from '../payload.js';
import { gitlabStatusSchema } from '../status.js';

/** Pages opened from a notification: http(s) only, whatever the server says. */
const webUrlSchema = z.url({ protocol: /^https?$/ }).max(2000);
const timeSchema = z.string().max(100).nullish();
const userSchema = z.looseObject({ username: z.string().max(200).nullish() });

export const apiProjectSchema = z.looseObject({
  id: gitlabIdSchema,
  path_with_namespace: projectPathSchema,
  web_url: webUrlSchema,
  /** Absent for some callers on older GitLab; `public`, `internal` or `private`. */
  visibility: z.string().max(20).nullish(),
});
export type ApiProject = z.infer<typeof apiProjectSchema>;

/** A pipeline as `GET /projects/:id/pipelines` lists it: no user, no commit title. */
export const apiPipelineSchema = z.looseObject({
  id: gitlabIdSchema,
  iid: z.number().int().nonnegative().nullish(),
  project_id: gitlabIdSchema.nullish(),
  sha: z.string().max(200).nullish(),
  ref: z.string().max(1000).nullish(),
  status: gitlabStatusSchema,
  source: z.string().max(100).nullish(),
  created_at: timeSchema,
  updated_at: timeSchema,
  web_url: webUrlSchema,
});
export type ApiPipeline = z.infer<typeof apiPipelineSchema>;
export const apiPipelineListSchema = z.array(apiPipelineSchema).max(1000);

/** A job as `GET /projects/:id/pipelines/:pipeline_id/jobs` lists it. */
export const apiJobSchema = z.looseObject({
  id: gitlabIdSchema,
  name: z.string().max(1000),
  stage: z.string().max(1000).nullish(),
  status: gitlabStatusSchema,
  allow_failure: z.boolean().nullish(),
  failure_reason: z.string().max(200).nullish(),
  created_at: timeSchema,
  started_at: timeSchema,
  finished_at: timeSchema,
  web_url: webUrlSchema,
  user: userSchema.nullish(),
  commit: z.looseObject({ title: z.string().max(10_000).nullish(), message: z.string().max(100_000).nullish() }).nullish(),
});
export type ApiJob = z.infer<typeof apiJobSchema>;
export const apiJobListSchema = z.array(apiJobSchema).max(1000);

/**
 * GitLab's error bodies: `{"message": "404 Project Not Found"}`, `{"message": {"field": [...]}}`
 * for validation errors, and OAuth's `{"error": "insufficient_scope", "error_description": …}`.
 */
export const apiErrorBodySchema = z.looseObject({
  message: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
