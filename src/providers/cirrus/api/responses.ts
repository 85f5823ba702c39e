/**
 * Zod schemas for what the Cirrus GraphQL API answers to the documents in `queries.ts`. Ids are
 * `ID` strings; the schema's `Int` is 64-bit, so timestamps are plain numbers past 2^31. Objects
 * are loose: a field the API adds later must not break a poll.
 */
import { z } from 'zod';
import { cirrusIdSchema } from '../payload.js';
import { cirrusBuildStatusSchema, cirrusTaskStatusSchema } from '../status.js';

const int64 = z.number().int();

export const apiTaskSchema = z.looseObject({
  id: cirrusIdSchema,
  name: z.string(),
  nameAlias: z.string().nullish(),
  status: cirrusTaskStatusSchema,
  localGroupId: int64.nullish(),
  creationTimestamp: int64.nullish(),
  statusTimestamp: int64.nullish(),
  finalStatusTimestamp: int64.nullish(),
  durationInSeconds: int64.nullish(),
  automaticReRun: z.boolean().nullish(),
});
export type ApiTask = z.infer<typeof apiTaskSchema>;

export const apiRepositorySchema = z.looseObject({
  id: cirrusIdSchema,
  owner: z.string(),
  name: z.string(),
  isPrivate: z.boolean(),
});
export type ApiRepository = z.infer<typeof apiRepositorySchema>;

export const apiBuildSchema = z.looseObject({
  id: cirrusIdSchema,
  repositoryId: cirrusIdSchema.nullish(),
  status: cirrusBuildStatusSchema,
  branch: z.string().nullish(),
  tag: z.string().nullish(),
  changeIdInRepo: z.string().nullish(),
  changeMessageTitle: z.string().nullish(),
  changeTimestamp: int64.nullish(),
  buildCreatedTimestamp: int64.nullish(),
  durationInSeconds: int64.nullish(),
  pullRequest: int64.nonnegative().nullish(),
  senderUserPermissions: z.string().nullish(),
  /** Who started the build; null for builds created through the API or by cron. */
  initializer: z.looseObject({ id: cirrusIdSchema, username: z.string().nullish() }).nullish(),
  tasks: z.array(apiTaskSchema),
});
export type ApiBuild = z.infer<typeof apiBuildSchema>;

/** `ownerRepository` under one alias: null when the repository is unknown or not visible. */
export const polledRepositorySchema = apiRepositorySchema
  .extend({ builds: z.object({ edges: z.array(z.object({ node: apiBuildSchema })) }) })
  .nullable();

/** The `data` of a batched poll: one alias per repository. */
export const pollDataSchema = z.record(z.string(), polledRepositorySchema);

export const buildDataSchema = z.object({
  build: apiBuildSchema.extend({ repository: apiRepositorySchema }).nullable(),
});
export type ApiBuildWithRepository = NonNullable<z.infer<typeof buildDataSchema>['build']>;

const mutatedBuildSchema = z.looseObject({ id: cirrusIdSchema, status: cirrusBuildStatusSchema });

export const approveDataSchema = z.object({
  approve: z.object({ clientMutationId: z.string(), build: mutatedBuildSchema }),
});

export const batchReRunDataSchema = z.object({
  batchReRun: z.object({
    clientMutationId: z.string(),
    newTasks: z.array(z.looseObject({ id: cirrusIdSchema, name: z.string(), status: cirrusTaskStatusSchema })),
  }),
});

export const retriggerDataSchema = z.object({
  retrigger: z.object({ clientMutationId: z.string(), build: mutatedBuildSchema }),
});

/** A task with its first failed command (null when none failed, or it has not run). */
export const apiFailedTaskSchema = z.looseObject({
  id: cirrusIdSchema,
  name: z.string(),
  status: cirrusTaskStatusSchema,
  firstFailedCommand: z
    .looseObject({
      name: z.string(),
      /** `TaskCommandStatus`; kept as a word, since a status added later must not fail the answer. */
      status: z.string().max(100),
      logsTail: z.array(z.string()).max(10_000),
    })
    .nullish(),
});
export type ApiFailedTask = z.infer<typeof apiFailedTaskSchema>;

/** The `data` of a failed-commands query: one alias per task, null for a task not found or not visible. */
export const failedCommandsDataSchema = z.record(z.string(), apiFailedTaskSchema.nullable());

export const buildFailedCommandsDataSchema = z.object({
  build: z.looseObject({ id: cirrusIdSchema, tasks: z.array(apiFailedTaskSchema) }).nullable(),
});

/** The GraphQL response envelope (spec §7.1): `data` may be partial when `errors` is present. */
export const graphqlEnvelopeSchema = z.looseObject({
  data: z.unknown().optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
        extensions: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});
export type GraphqlEnvelope = z.infer<typeof graphqlEnvelopeSchema>;
