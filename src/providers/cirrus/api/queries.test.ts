import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/support/fixtures.js';
import { failedCommandsQuery, FIXED_DOCUMENTS, pollQuery, pollVariables } from './queries.js';

// The project's own SDL (the simulator's, test/fixtures/cirrus/schema.gql). The same documents are
// validated against the real Cirrus schema by `npm run test:conformance`.
const cirrusSchema: GraphQLSchema = buildSchema(fixtureText('cirrus/schema.gql'));

function errorsAgainstCirrusSchema(document: string): string[] {
  return validate(cirrusSchema, parse(document)).map((error) => error.message);
}

describe('every document the client sends is valid against the Cirrus schema', () => {
  it.each(Object.entries(FIXED_DOCUMENTS))('%s', (_name, document) => {
    expect(errorsAgainstCirrusSchema(document)).toEqual([]);
  });

  it.each([1, 2, 20])('the batched poll over %i repositories', (count) => {
    const document = pollQuery(count);
    expect(errorsAgainstCirrusSchema(document)).toEqual([]);
    // One aliased ownerRepository per repository, all in one operation.
    expect(document.match(/ownerRepository\(/g)).toHaveLength(count);
    expect(parse(document).definitions.filter((d) => d.kind === 'OperationDefinition')).toHaveLength(1);
  });

  it.each([1, 3])('the failed commands of %i tasks, in one operation', (count) => {
    const document = failedCommandsQuery(count);
    expect(errorsAgainstCirrusSchema(document)).toEqual([]);
    expect(document.match(/firstFailedCommand \{ name status logsTail \}/g)).toHaveLength(count);
    expect(() => failedCommandsQuery(0)).toThrow(RangeError);
  });

  it('would catch a field the schema does not have', () => {
    expect(errorsAgainstCirrusSchema('mutation { buildReTrigger(input: { buildId: "1", clientMutationId: "x" }) { clientMutationId } }'))
      .not.toEqual([]);
    expect(errorsAgainstCirrusSchema(FIXED_DOCUMENTS.approve.replace('clientMutationId: $clientMutationId', ''))).not.toEqual([]);
  });
});

describe('pollVariables', () => {
  it('names one owner and name per alias, in order', () => {
    expect(pollVariables([{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'api' }], 5)).toEqual({
      last: 5, o0: 'acme', n0: 'web', o1: 'acme', n1: 'api',
    });
  });

  it('refuses an empty poll', () => {
    expect(() => pollQuery(0)).toThrow(RangeError);
  });
});
