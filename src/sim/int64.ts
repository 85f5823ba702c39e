/**
 * Cirrus's schema declares `scalar Int` as "A 64-bit signed integer" (the server's `Long`), but
 * graphql-js always swaps in its own 32-bit `Int`, which refuses a millisecond timestamp like
 * 1722406690000. This rebuilds a schema with an `Int` that carries every safe integer, keeping the
 * name `Int` so introspection and validation see exactly the real schema's types.
 */
import type {
  GraphQLFieldConfigArgumentMap,
  GraphQLFieldConfigMap,
  GraphQLInputFieldConfigMap,
  GraphQLNamedType,
  GraphQLType,
} from 'graphql';
import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLUnionType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
} from 'graphql';

function toSafeInteger(value: unknown): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError(`Int cannot represent a non-integer or unsafe value: ${String(value)}`);
  }
  return number;
}

/** `Int` as Cirrus means it: 64-bit on the server, every safe integer here. */
export const GraphQLInt64 = new GraphQLScalarType({
  name: 'Int',
  description: 'A 64-bit signed integer',
  serialize: toSafeInteger,
  parseValue: toSafeInteger,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`Int cannot represent a non-integer value`, { nodes: ast });
    return toSafeInteger(ast.value);
  },
});

/** A copy of `schema` in which every use of graphql-js's 32-bit `Int` is {@link GraphQLInt64}. */
export function withInt64(schema: GraphQLSchema): GraphQLSchema {
  const rebuilt = new Map<string, GraphQLNamedType>();

  const named = <T extends GraphQLNamedType>(type: T): T => {
    if (type === GraphQLInt) return GraphQLInt64 as unknown as T;
    if (isSpecifiedScalarType(type) || isIntrospectionType(type)) return type;
    const existing = rebuilt.get(type.name);
    if (existing) return existing as T;
    const copy = copyType(type);
    rebuilt.set(type.name, copy);
    return copy as T;
  };

  const wrapped = <T extends GraphQLType>(type: T): T => {
    if (isListType(type)) return new GraphQLList(wrapped(type.ofType)) as T;
    if (isNonNullType(type)) return new GraphQLNonNull(wrapped(type.ofType)) as T;
    return named(type as GraphQLNamedType) as T;
  };

  const args = (map: GraphQLFieldConfigArgumentMap | undefined) =>
    Object.fromEntries(Object.entries(map ?? {}).map(([name, arg]) => [name, { ...arg, type: wrapped(arg.type) }]));

  // Field maps are thunks, so types that refer to each other are rebuilt lazily, without cycles.
  const outputFields = <S, C>(fields: GraphQLFieldConfigMap<S, C>) => () =>
    Object.fromEntries(
      Object.entries(fields).map(([name, field]) => [name, { ...field, type: wrapped(field.type), args: args(field.args) }]),
    );
  const inputFields = (fields: GraphQLInputFieldConfigMap) => () =>
    Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, { ...field, type: wrapped(field.type) }]));

  function copyType(type: GraphQLNamedType): GraphQLNamedType {
    if (isObjectType(type)) {
      const config = type.toConfig();
      return new GraphQLObjectType({ ...config, fields: outputFields(config.fields), interfaces: () => config.interfaces.map(named) });
    }
    if (isInterfaceType(type)) {
      const config = type.toConfig();
      return new GraphQLInterfaceType({ ...config, fields: outputFields(config.fields), interfaces: () => config.interfaces.map(named) });
    }
    if (isInputObjectType(type)) {
      const config = type.toConfig();
      return new GraphQLInputObjectType({ ...config, fields: inputFields(config.fields) });
    }
    if (isUnionType(type)) {
      const config = type.toConfig();
      return new GraphQLUnionType({ ...config, types: () => config.types.map(named) });
    }
    if (isEnumType(type)) return new GraphQLEnumType(type.toConfig());
    return new GraphQLScalarType(type.toConfig());
  }

  const config = schema.toConfig();
  const root = (type: GraphQLObjectType | null | undefined) => (type ? named(type) : undefined);
  return new GraphQLSchema({
    ...config,
    query: root(config.query),
    mutation: root(config.mutation),
    subscription: root(config.subscription),
    types: config.types.map(named),
    // The specified directives take only Boolean and String arguments: nothing to rebuild.
    directives: config.directives,
  });
}
