import fastJsonStringify from 'fast-json-stringify';

type Stringify = (data: unknown) => string;

/**
 * Fastify's own response serializer (fast-json-stringify, with the options of its default
 * compiler), compiled for a route's response schema on the first response that uses it rather than
 * for every route at start-up: an idle platform answers few of its ~70 response schemas, and each
 * compiled serializer is generated code kept for good (docs/decisions.md, "Idle memory").
 */
export function lazySerializerCompiler({ schema }: { schema: unknown }): Stringify {
  let stringify: Stringify | undefined;
  return (data) => {
    stringify ??= fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0], {}) as Stringify;
    return stringify(data);
  };
}
