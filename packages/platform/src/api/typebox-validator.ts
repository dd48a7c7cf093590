import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile, Value } from '@dozen/contracts/typebox';

/**
 * Validates a route's input with its TypeBox schema: params and query strings are converted first
 * ("5" becomes 5 where the schema wants a number), bodies are taken as sent. The same checks as
 * @fastify/type-provider-typebox's compiler, without loading that package, which also loads ajv
 * and ajv-formats for a format registry the platform does not use (an idle platform is smaller).
 * Compiled on the route's first request, not for every route at start-up: each compiled check is
 * generated code kept for good, and an idle platform answers few of its ~90 routes (as the lazy
 * serializers do; docs/decisions.md, "Idle memory").
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  let check: ReturnType<typeof Compile> | undefined;
  return (value: unknown) => {
    check ??= Compile(schema);
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as unknown as Error };
  };
};
