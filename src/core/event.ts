/**
 * The normalised event: one shape for every CI provider. The relay stores and streams it, the
 * poller and the simulator produce it, the engine consumes it. Version 1 of the wire protocol;
 * add fields, never repurpose them (DESIGN.md, "The normalised event").
 */
import { z } from 'zod';
import { failureDetailSchema } from './failureDetail.js';

export const PROTOCOL_VERSION = 1;

export const providerSchema = z.enum(['cirrus', 'github', 'gitlab']);
export type Provider = z.infer<typeof providerSchema>;

/** A build's state in the provider's neutral words; each provider maps its own statuses here. */
export const buildStateSchema = z.enum([
  'queued',
  'needs_approval',
  'running',
  'passed',
  'failed',
  'aborted',
  'errored',
]);
export type BuildState = z.infer<typeof buildStateSchema>;

/** Tasks have one state more than builds: a task can be skipped (Cirrus SKIPPED, GitHub `skipped`). */
export const taskStateSchema = z.enum([...buildStateSchema.options, 'skipped']);
export type TaskState = z.infer<typeof taskStateSchema>;

const FINAL_STATES: ReadonlySet<TaskState> = new Set(['passed', 'failed', 'aborted', 'errored', 'skipped']);

/** True once a build or task can no longer change by itself. */
export function isFinalState(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}

/** Ids travel as strings of the provider's own form; never as numbers (Cirrus ids pass 2^53). */
export const idSchema = z.string().min(1).max(200);

export const repositorySchema = z.object({
  id: idSchema,
  owner: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  private: z.boolean(),
});
export type Repository = z.infer<typeof repositorySchema>;

export const buildSchema = z.object({
  id: idSchema,
  /** The provider's own status word, e.g. Cirrus `EXECUTING`. */
  status: z.string().min(1).max(100),
  previousStatus: z.string().min(1).max(100).nullable(),
  state: buildStateSchema,
  branch: z.string().max(1000).nullable(),
  sha: z.string().max(200).nullable(),
  title: z.string().max(10_000).nullable(),
  pullRequest: z.number().int().nonnegative().nullable(),
  initiator: z.string().max(200).nullable(),
  url: z.url(),
  /** Epoch ms of the change this build is about, when the provider says. */
  changedAt: z.number().int().nullable(),
});
export type Build = z.infer<typeof buildSchema>;

export const taskSchema = z.object({
  id: idSchema,
  name: z.string().max(1000),
  status: z.string().min(1).max(100),
  previousStatus: z.string().min(1).max(100).nullable(),
  state: taskStateSchema,
  url: z.url(),
  /**
   * Why the task failed, where the delivery says (GitHub: the failed step; GitLab: the failure
   * reason). Absent on most events, and on every event stored before it existed.
   */
  detail: failureDetailSchema.optional(),
});
export type Task = z.infer<typeof taskSchema>;

export const normalisedEventSchema = z.object({
  /** Stable and unique per delivery content: the dedupe key. */
  id: z.string().min(1).max(200),
  provider: providerSchema,
  kind: z.enum(['build', 'task']),
  action: z.enum(['created', 'updated']),
  /** Epoch ms at which the relay (or poller) received it. */
  receivedAt: z.number().int().nonnegative(),
  repository: repositorySchema,
  build: buildSchema,
  task: taskSchema.nullable(),
});
export type NormalisedEvent = z.infer<typeof normalisedEventSchema>;

/** `owner/name`, the form repository globs and settings use. */
export function repositorySlug(repository: Pick<Repository, 'owner' | 'name'>): string {
  return `${repository.owner}/${repository.name}`;
}
