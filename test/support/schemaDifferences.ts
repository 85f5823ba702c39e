/**
 * Compares two GraphQL schemas the way the simulator must match Cirrus: everything the first
 * declares, the second declares alike. Used against the project's own SDL fixture in `npm test`
 * and against the real Cirrus schema in `npm run test:conformance`.
 */
import type { GraphQLField, GraphQLInputField, GraphQLNamedType, GraphQLSchema } from 'graphql';
import { isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType } from 'graphql';

/** Every way `sim` declares something `reference` does not, as readable lines; empty when faithful. */
export function schemaDifferences(sim: GraphQLSchema, reference: GraphQLSchema): string[] {
  const problems: string[] = [];
  const declared = Object.values(sim.getTypeMap()).filter((type) => !isIntrospectionType(type));
  for (const type of declared) {
    const other = reference.getType(type.name);
    if (!other) { problems.push(`type ${type.name} is not in the reference schema`); continue; }
    if (kindOf(type) !== kindOf(other)) { problems.push(`${type.name} is a ${kindOf(type)}, reference is ${kindOf(other)}`); continue; }
    if (isObjectType(type) || isInterfaceType(type)) {
      const otherFields = (other as typeof type).getFields();
      for (const iface of type.getInterfaces()) {
        if (!(other as typeof type).getInterfaces().some((i) => i.name === iface.name)) problems.push(`${type.name} implements ${iface.name}, reference does not`);
      }
      for (const field of Object.values(type.getFields())) {
        const otherField = otherFields[field.name];
        if (!otherField) { problems.push(`${type.name}.${field.name} is not in the reference schema`); continue; }
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
      if (JSON.stringify(values) !== JSON.stringify(simValues)) problems.push(`${type.name} values ${simValues} differ from reference ${values}`);
    }
  }
  return problems;
}

function compareField(where: string, field: GraphQLField<unknown, unknown>, other: GraphQLField<unknown, unknown>, problems: string[]) {
  if (String(field.type) !== String(other.type)) problems.push(`${where}: ${String(field.type)}, reference ${String(other.type)}`);
  for (const arg of field.args) {
    const otherArg = other.args.find((a) => a.name === arg.name);
    if (!otherArg) problems.push(`${where}(${arg.name}) is not in the reference schema`);
    else if (String(arg.type) !== String(otherArg.type)) problems.push(`${where}(${arg.name}): ${String(arg.type)}, reference ${String(otherArg.type)}`);
  }
}

function compareInput(where: string, field: GraphQLInputField, other: GraphQLInputField | undefined, problems: string[]) {
  if (!other) problems.push(`${where} is not in the reference schema`);
  else if (String(field.type) !== String(other.type)) problems.push(`${where}: ${String(field.type)}, reference ${String(other.type)}`);
}

function kindOf(type: GraphQLNamedType): string {
  return type.astNode?.kind ?? type.constructor.name;
}
