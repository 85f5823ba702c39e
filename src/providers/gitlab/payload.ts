/**
 * Zod schemas for the parts of GitLab's pipeline and job hooks the notifier reads
 * (../shared/gitlab/FACTS.md; real payloads in ../shared/fixtures/gitlab/). Objects are loose: an
 * unknown field must never turn a delivery away.
 */
import { z } from 'zod';
import { gitlabStatusSchema } from './status.js';

/** GitLab ids are JSON numbers; the relay's lossless parse hands those past 2^53 over as digits. */
export const gitlabIdSchema = z
  .union([
    z.string().regex(/^\d{1,40}$/, 'expected an id of digits'),
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'expected an id within 2^53 or a digit string'),
  ])
  .transform((id) => String(id));

const PROJECT_PATH = /^[^/\s]+(\/[^/\s]+)+$/;

/**
 * A project's full path: `group/project`, or `group/subgroup/…/project`. The normalised owner (all
 * before the last `/`) and name each hold at most 200 characters.
 */
export function isProjectPath(path: string): boolean {
  const slash = path.lastIndexOf('/');
  // `.` and `..` are never a group or project (GitLab reserves them); as a path they would read as a way out.
  return PROJECT_PATH.test(path) && slash <= 200 && path.length - slash - 1 <= 200 && !path.split('/').some((segment) => segment === '.' || segment === '..');
}

export const projectPathSchema = z.string().max(1000).refine(isProjectPath, 'expected a project path such as group/project');

/** The project's full path from its URL (`https://gitlab.com/acme/platform/web` → `acme/platform/web`), or undefined when the URL names no project. */
export function projectPathOfUrl(url: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(url).pathname).replace(/^\/+|\/+$/g, '');
    return isProjectPath(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A project's URL (`repository.homepage` of job events), whose path is the project's full path. */
export const projectUrlSchema = z.url().refine((url) => projectPathOfUrl(url) !== undefined, "expected the project's URL, whose path is group/project");

const userSchema = z.looseObject({ username: z.string().max(200).nullish(), name: z.string().max(200).nullish() });
const timeSchema = z.string().max(100).nullish();

export const gitlabPipelineEventSchema = z.looseObject({
  object_kind: z.literal('pipeline'),
  object_attributes: z.looseObject({
    id: gitlabIdSchema,
    ref: z.string().max(1000).nullish(),
    tag: z.boolean().nullish(),
    sha: z.string().max(200).nullish(),
    status: gitlabStatusSchema,
    created_at: timeSchema,
    finished_at: timeSchema,
  }),
  merge_request: z.looseObject({ iid: z.number().int().nonnegative(), source_branch: z.string().max(1000).nullish() }).nullish(),
  user: userSchema.nullish(),
  project: z.looseObject({
    /** Absent from older GitLab's pipeline hooks (see the conformance fixtures). */
    id: gitlabIdSchema.nullish(),
    web_url: z.url().max(2000),
    path_with_namespace: projectPathSchema,
    visibility_level: z.number().int().nullish(),
  }),
  commit: z.looseObject({ title: z.string().nullish(), message: z.string().nullish(), timestamp: timeSchema }).nullish(),
});
export type GitlabPipelineEvent = z.infer<typeof gitlabPipelineEventSchema>;

export const gitlabJobEventSchema = z.looseObject({
  object_kind: z.literal('build'),
  ref: z.string().max(1000).nullish(),
  sha: z.string().max(200).nullish(),
  build_id: gitlabIdSchema,
  build_name: z.string().max(1000),
  build_status: gitlabStatusSchema,
  build_allow_failure: z.boolean().nullish(),
  build_failure_reason: z.string().max(200).nullish(),
  /** Newer deliveries; older ones name the pipeline in `commit.id`. */
  pipeline_id: gitlabIdSchema.nullish(),
  project_id: gitlabIdSchema,
  user: userSchema.nullish(),
  /** In job events `commit` describes the pipeline: its id (older deliveries), message and status. */
  commit: z.looseObject({ id: gitlabIdSchema.nullish(), message: z.string().nullish(), status: gitlabStatusSchema.nullish() }),
  repository: z.looseObject({ homepage: projectUrlSchema, visibility_level: z.number().int().nullish() }),
}).refine((event) => event.pipeline_id != null || event.commit.id != null, {
  message: 'names no pipeline: pipeline_id (or, in older deliveries, commit.id) is required',
  path: ['pipeline_id'],
});
export type GitlabJobEvent = z.infer<typeof gitlabJobEventSchema>;
