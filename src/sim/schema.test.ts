import type { GraphQLField, GraphQLInputField, GraphQLNamedType, GraphQLSchema } from 'graphql';
import {
  buildSchema,
  graphqlSync,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  parse,
  validate,
  validateSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { sharedFile } from '../../test/support/shared.js';
import { FIXED_DOCUMENTS, pollQuery } from '../providers/cirrus/api/queries.js';
import { simSchema } from './executableSchema.js';
import { SIM_SDL } from './schema.js';

const real = buildSchema(sharedFile('cirrus/schema.gql'));

/** Every way `sim` declares something `real` does not, as readable lines; empty when faithful. */
function differences(sim: GraphQLSchema, reference: GraphQLSchema): string[] {
  const problems: string[] = [];
  const declared = Object.values(sim.getTypeMap()).filter((type) => !isIntrospectionType(type));
  for (const type of declared) {
    const other = reference.getType(type.name);
    if (!other) { problems.push(`type ${type.name} is not in the real schema`); continue; }
    if (kindOf(type) !== kindOf(other)) { problems.push(`${type.name} is a ${kindOf(type)}, real is ${kindOf(other)}`); continue; }
    if (isObjectType(type) || isInterfaceType(type)) {
      const otherFields = (other as typeof type).getFields();
      for (const iface of type.getInterfaces()) {
        if (!(other as typeof type).getInterfaces().some((i) => i.name === iface.name)) problems.push(`${type.name} implements ${iface.name}, real does not`);
      }
      for (const field of Object.values(type.getFields())) {
        const otherField = otherFields[field.name];
        if (!otherField) { problems.push(`${type.name}.${field.name} is not in the real schema`); continue; }
        compareField(`${type.name}.${field.name}`, field, otherField, problems);
      }
    }
    if (isInputObjectType(type)) {
      const otherFields = (other as typeof type).getFields();
      for (const field of Object.values(type.getFields())) compareInput(`${type.name}.${field.name}`, field, otherFields[field.name], problems);
      for (const field of Object.values(otherFields)) {
        // A required input field the sim left out would let the sim accept what Cirrus refuses.
        if (!type.getFields()[field.name] && String(field.type).endsWith('!')) problems.push(`${type.name} lacks the required ${field.name}`);
      }
    }
    if (isEnumType(type)) {
      const values = (other as typeof type).getValues().map((v) => v.name).sort();
      const simValues = type.getValues().map((v) => v.name).sort();
      if (JSON.stringify(values) !== JSON.stringify(simValues)) problems.push(`${type.name} values ${simValues} differ from real ${values}`);
    }
  }
  return problems;
}

function compareField(where: string, field: GraphQLField<unknown, unknown>, other: GraphQLField<unknown, unknown>, problems: string[]) {
  if (String(field.type) !== String(other.type)) problems.push(`${where}: ${String(field.type)}, real ${String(other.type)}`);
  for (const arg of field.args) {
    const otherArg = other.args.find((a) => a.name === arg.name);
    if (!otherArg) problems.push(`${where}(${arg.name}) is not in the real schema`);
    else if (String(arg.type) !== String(otherArg.type)) problems.push(`${where}(${arg.name}): ${String(arg.type)}, real ${String(otherArg.type)}`);
  }
}

function compareInput(where: string, field: GraphQLInputField, other: GraphQLInputField | undefined, problems: string[]) {
  if (!other) problems.push(`${where} is not in the real schema`);
  else if (String(field.type) !== String(other.type)) problems.push(`${where}: ${String(field.type)}, real ${String(other.type)}`);
}

function kindOf(type: GraphQLNamedType): string {
  return type.astNode?.kind ?? type.constructor.name;
}

describe('the simulator schema', () => {
  it('passes graphql-js schema validation', () => {
    expect(validateSchema(simSchema()).map((e) => e.message)).toEqual([]);
  });

  it('declares only types, fields and arguments the real schema has, with the same types', () => {
    expect(differences(buildSchema(SIM_SDL), real)).toEqual([]);
    // The executable copy (64-bit Int) must still describe the same schema.
    expect(differences(simSchema(), real)).toEqual([]);
  });

  it('the comparison catches a field with another type, an unknown field and a wrong argument', () => {
    const wrong = buildSchema(`
      type Query { build(id: ID!): Build repository(id: String!): Repository }
      type Build { id: ID! status: String! invented: Int }
      type Repository { id: ID! }
    `);
    const found = differences(wrong, real);
    expect(found).toContain('Build.status: String!, real BuildStatus!');
    expect(found).toContain('Build.invented is not in the real schema');
    expect(found).toContain('Query.repository(id): String!, real ID!');
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
