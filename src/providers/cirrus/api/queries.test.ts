import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { sharedFile } from '../../../../test/support/shared.js';
import { FIXED_DOCUMENTS, pollQuery, pollVariables } from './queries.js';

const realSchema: GraphQLSchema = buildSchema(sharedFile('cirrus/schema.gql'));

function errorsAgainstRealSchema(document: string): string[] {
  return validate(realSchema, parse(document)).map((error) => error.message);
}

describe('every document the client sends is valid against the real Cirrus schema', () => {
  it.each(Object.entries(FIXED_DOCUMENTS))('%s', (_name, document) => {
    expect(errorsAgainstRealSchema(document)).toEqual([]);
  });

  it.each([1, 2, 20])('the batched poll over %i repositories', (count) => {
    const document = pollQuery(count);
    expect(errorsAgainstRealSchema(document)).toEqual([]);
    // One aliased ownerRepository per repository, all in one operation.
    expect(document.match(/ownerRepository\(/g)).toHaveLength(count);
    expect(parse(document).definitions.filter((d) => d.kind === 'OperationDefinition')).toHaveLength(1);
  });

  it('would catch a field the real API does not have', () => {
    expect(errorsAgainstRealSchema('mutation { buildReTrigger(input: { buildId: "1", clientMutationId: "x" }) { clientMutationId } }'))
      .not.toEqual([]);
    expect(errorsAgainstRealSchema(FIXED_DOCUMENTS.approve.replace('clientMutationId: $clientMutationId', ''))).not.toEqual([]);
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
