/**
 * The simulator and the client against the real Cirrus schema (`cirrus/schema.gql` of the
 * conformance folder): the simulator declares nothing the real API lacks, and every query and
 * mutation the client sends validates, so a field the real API lacks fails here first.
 */
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { failedCommandsQuery, FIXED_DOCUMENTS, pollQuery } from '../../src/providers/cirrus/api/queries.js';
import { simSchema } from '../../src/sim/executableSchema.js';
import { SIM_SDL } from '../../src/sim/schema.js';
import { schemaDifferences } from '../support/schemaDifferences.js';
import { upstreamFile } from './upstream.js';

const real: GraphQLSchema = buildSchema(upstreamFile('cirrus/schema.gql'));

function errorsAgainstRealSchema(document: string): string[] {
  return validate(real, parse(document)).map((error) => error.message);
}

describe('the simulator schema against the real one', () => {
  it('declares only types, fields and arguments the real schema has, with the same types', () => {
    expect(schemaDifferences(buildSchema(SIM_SDL), real)).toEqual([]);
    // The executable copy (64-bit Int) must still describe the same schema.
    expect(schemaDifferences(simSchema(), real)).toEqual([]);
  });
});

describe('every document the client sends is valid against the real Cirrus schema', () => {
  it.each(Object.entries(FIXED_DOCUMENTS))('%s', (_name, document) => {
    expect(errorsAgainstRealSchema(document)).toEqual([]);
  });

  it.each([1, 2, 20])('the batched poll over %i repositories', (count) => {
    expect(errorsAgainstRealSchema(pollQuery(count))).toEqual([]);
  });

  it.each([1, 3])('the failed commands (firstFailedCommand { name logsTail }) of %i tasks', (count) => {
    expect(errorsAgainstRealSchema(failedCommandsQuery(count))).toEqual([]);
  });

  it('would catch a field the real API does not have', () => {
    expect(errorsAgainstRealSchema('mutation { buildReTrigger(input: { buildId: "1", clientMutationId: "x" }) { clientMutationId } }'))
      .not.toEqual([]);
    expect(errorsAgainstRealSchema(FIXED_DOCUMENTS.approve.replace('clientMutationId: $clientMutationId', ''))).not.toEqual([]);
  });
});
