import type { FastifyError, FastifyInstance } from 'fastify';
import { DozenError } from '@dozen/contracts/errors';

/** One mapping from any failure to `{ error: { code, message, hint, requestId } }` with a real status. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DozenError | Error, request, reply) => {
    const known = toDozenError(error);
    if (known.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return reply.code(known.status).send(known.toBody(request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new DozenError('ROUTE_NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(error.status).send(error.toBody(request.id));
  });
}

function toDozenError(error: FastifyError | DozenError | Error): DozenError {
  if (error instanceof DozenError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'request';
    const detail = fastifyError.validation.map((v) => `${where}${v.instancePath || ''} ${v.message ?? 'is invalid'}`).join('; ');
    return new DozenError('INVALID_REQUEST', `The request is not valid: ${detail}.`);
  }
  if (fastifyError.statusCode === 413) return new DozenError('PAYLOAD_TOO_LARGE', `The request body is too large: ${error.message}.`);
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new DozenError('INVALID_REQUEST', `The request is not valid: ${error.message}.`);
  }
  return new DozenError('INTERNAL', 'Something went wrong inside Dozen.');
}
