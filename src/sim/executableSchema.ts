/** The simulator's schema, built once from its SDL with Cirrus's 64-bit `Int`. */
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'graphql';
import { withInt64 } from './int64.js';
import { SIM_SDL } from './schema.js';

let cached: GraphQLSchema | undefined;

/** The sim schema, ready to execute (resolvers come from the root value, see `graphqlApi.ts`). */
export function simSchema(): GraphQLSchema {
  cached ??= withInt64(buildSchema(SIM_SDL));
  return cached;
}
