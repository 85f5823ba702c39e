/**
 * "I'm on it": a person's word that they are looking at a failed build, shared through the relay
 * with everyone whose token sees the repository (issue #17). The relay stores it in its log as a
 * record of its own kind and streams it in an `acknowledgement` frame; the desktop shows
 * "Ana is on it" on the build until the build passes, a newer build of the same branch fails, or
 * Ana withdraws it.
 *
 * Every field but `active` is the relay's, never the sender's: the build's repository and branch
 * come from the event the relay stored, and `by` is the label of the token that sent it, so a
 * client cannot speak for someone else or name a build its token does not see.
 */
import { z } from 'zod';
import { idSchema, providerSchema, repositorySchema } from './event.js';

/** The longest name an acknowledgement shows: a token's label, cut to this. */
export const ACKNOWLEDGER_NAME_MAX = 200;

export const acknowledgementSchema = z.object({
  provider: providerSchema,
  repository: repositorySchema,
  /** The acknowledged build's id, in the provider's own form. */
  buildId: idSchema,
  /** The build's branch when the relay stored its event (a newer failure of it clears this acknowledgement). */
  branch: z.string().max(1000).nullable(),
  /** Who: the label of the token that sent it. Hostile text like any label: cleaned where shown. */
  by: z.string().min(1).max(ACKNOWLEDGER_NAME_MAX),
  /** True: "on it". False: withdrawn. */
  active: z.boolean(),
  /** Epoch ms at which the relay stored it. */
  at: z.number().int().nonnegative(),
});
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;
