import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { JsonRoute, RouteOutput } from '@dozen/contracts';

type Part<T> = T extends TSchema ? Static<T> : undefined;

export interface JsonInput<R extends JsonRoute> {
  params: Part<R['params']>;
  query: Part<R['querystring']>;
  body: Part<R['body']>;
  request: FastifyRequest;
  /** For headers only (the session cookie); the answer is the handler's return value. */
  reply: FastifyReply;
}

/**
 * Registers one route of the contract: its schemas validate the input and serialise the output,
 * and the handler is a thin call into the core.
 */
export function jsonRoute<R extends JsonRoute>(app: FastifyInstance, spec: R, handler: (input: JsonInput<R>) => Promise<RouteOutput<R>>): void {
  const status = spec.status ?? 200;
  // A dry run (`?dryRun=true`) creates nothing: it answers 200 with the plan.
  const schema: Record<string, unknown> = { response: { 200: spec.response, [status]: spec.response } };
  if (spec.params) schema.params = spec.params;
  if (spec.querystring) schema.querystring = spec.querystring;
  if (spec.body) schema.body = spec.body;
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    handler: async (request, reply) => {
      const output = await handler({
        params: request.params as Part<R['params']>,
        query: request.query as Part<R['querystring']>,
        body: request.body as Part<R['body']>,
        request,
        reply,
      });
      return reply.code(isDryRun(output) ? 200 : status).send(output);
    },
  });
}

function isDryRun(output: unknown): boolean {
  return typeof output === 'object' && output !== null && (output as { dryRun?: unknown }).dryRun === true;
}
