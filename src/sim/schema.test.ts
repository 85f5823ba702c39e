import { buildSchema, graphqlSync, parse, printSchema, validate, validateSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/support/fixtures.js';
import { schemaDifferences } from '../../test/support/schemaDifferences.js';
import { FIXED_DOCUMENTS, pollQuery } from '../providers/cirrus/api/queries.js';
import { simSchema } from './executableSchema.js';
import { SIM_SDL } from './schema.js';

// The project's own Cirrus SDL (test/fixtures/cirrus/schema.gql). That it matches the real
// schema is checked by `npm run test:conformance` (test/conformance/cirrusSchema.test.ts).
const fixtureSchema = buildSchema(fixtureText('cirrus/schema.gql'));

describe('the simulator schema', () => {
  it('passes graphql-js schema validation', () => {
    expect(validateSchema(simSchema()).map((e) => e.message)).toEqual([]);
  });

  it('is the SDL checked in as test/fixtures/cirrus/schema.gql (regenerate: npm run build && node test/fixtures/generate.mjs)', () => {
    expect(printSchema(fixtureSchema)).toBe(printSchema(buildSchema(SIM_SDL)));
  });

  it('has an executable copy (64-bit Int) that still describes the same schema', () => {
    expect(schemaDifferences(simSchema(), fixtureSchema)).toEqual([]);
    expect(schemaDifferences(fixtureSchema, simSchema())).toEqual([]);
  });

  it('the comparison catches a field with another type, an unknown field and a wrong argument', () => {
    const wrong = buildSchema(`
      type Query { build(id: ID!): Build repository(id: String!): Repository }
      type Build { id: ID! status: String! invented: Int }
      type Repository { id: ID! }
    `);
    const found = schemaDifferences(wrong, fixtureSchema);
    expect(found).toContain('Build.status: String!, reference BuildStatus!');
    expect(found).toContain('Build.invented is not in the reference schema');
    expect(found).toContain('Query.repository(id): String!, reference ID!');
  });

  it('answers every document the client sends (they validate against it too)', () => {
    for (const document of [...Object.values(FIXED_DOCUMENTS), pollQuery(1), pollQuery(20)]) {
      expect(validate(simSchema(), parse(document)).map((e) => e.message)).toEqual([]);
    }
  });

  it('serialises 64-bit timestamps as Cirrus does, where graphql-js Int would refuse them', () => {
    const result = graphqlSync({
      schema: simSchema(),
      source: '{ task(id: "1") { id creationTimestamp localGroupId } }',
      rootValue: { task: () => ({ id: '1', creationTimestamp: 1722408865412, localGroupId: 0 }) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ task: { id: '1', creationTimestamp: 1722408865412, localGroupId: 0 } });
  });
});
