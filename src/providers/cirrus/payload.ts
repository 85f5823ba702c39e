/**
 * Zod schemas for what Cirrus POSTs (FACTS.md, "Payload shapes"): the real flat deliveries, the
 * docs' `{data: {...}}` wrapper and the first design's wrapper, for `build`, `task` and
 * `audit_event`. Objects are loose: fields Cirrus adds later are kept, never fatal.
 */
import { z } from 'zod';
import { cirrusBuildStatusSchema, cirrusTaskStatusSchema } from './status.js';

/**
 * Cirrus ids are JSON numbers in webhooks (up to 2^53 and beyond) and strings in GraphQL. The
 * relay parses JSON losslessly, so an unsafe integer arrives here as a digit string; a number
 * that is not a safe integer has already lost digits and is refused rather than guessed.
 */
export const cirrusIdSchema = z
  .union([
    z.string().regex(/^\d{1,40}$/, 'expected an id of digits'),
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'expected an id within 2^53 or a digit string'),
  ])
  .transform((id) => String(id));

const epochMillisSchema = z.number().int().nonnegative();
const nameSchema = z.string().min(1).max(200);

export const cirrusRepositorySchema = z.looseObject({
  id: cirrusIdSchema,
  owner: nameSchema,
  name: nameSchema,
  isPrivate: z.boolean().optional(),
});

export const cirrusBuildSchema = z.looseObject({
  id: cirrusIdSchema,
  status: cirrusBuildStatusSchema,
  branch: z.string().max(1000).nullish(),
  changeIdInRepo: z.string().max(200).nullish(),
  changeTimestamp: epochMillisSchema.nullish(),
  changeMessageTitle: z.string().nullish(),
  /** The first design's field for what real deliveries call `changeMessageTitle`. */
  name: z.string().nullish(),
  pullRequest: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,12}$/).transform(Number)]).nullish(),
  user: z.looseObject({ username: z.string().max(200).nullish() }).nullish(),
});

export const cirrusTaskSchema = z.looseObject({
  id: cirrusIdSchema,
  name: z.string().max(1000),
  status: cirrusTaskStatusSchema,
  nameAlias: z.string().max(1000).nullish(),
  creationTimestamp: epochMillisSchema.nullish(),
  finalStatusTimestamp: epochMillisSchema.nullish(),
  statusTimestamp: epochMillisSchema.nullish(),
});

const actionSchema = z.enum(['created', 'updated']);

export const cirrusBuildEventSchema = z.looseObject({
  action: actionSchema,
  old_status: cirrusBuildStatusSchema.nullish(),
  repository: cirrusRepositorySchema,
  build: cirrusBuildSchema,
});
export type CirrusBuildEvent = z.infer<typeof cirrusBuildEventSchema>;

export const cirrusTaskEventSchema = z.looseObject({
  action: actionSchema,
  old_status: cirrusTaskStatusSchema.nullish(),
  repository: cirrusRepositorySchema,
  build: cirrusBuildSchema,
  task: cirrusTaskSchema,
});
export type CirrusTaskEvent = z.infer<typeof cirrusTaskEventSchema>;

/** Audit events: stored for the record, never streamed. The docs say `create`, deliveries `created`. */
export const cirrusAuditEventSchema = z.looseObject({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  timestamp: epochMillisSchema.optional(),
  action: z.enum(['created', 'create', 'updated', 'update']),
  data: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});

/**
 * Real deliveries are flat; the docs and the first design wrap the payload in `data`. Audit
 * events carry `data` as a JSON string, which is not a wrapper, so only an object unwraps.
 */
export function unwrapCirrusPayload(body: unknown): unknown {
  if (!isPlainObject(body)) return body;
  const data = body['data'];
  if (!isPlainObject(data)) return body;
  const { data: _wrapper, ...envelope } = body;
  return { ...envelope, ...data };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
