import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DozenError } from '@dozen/contracts/errors';

/** One mapping from any failure to `{ error: { code, message, hint, requestId } }` with a real status. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DozenError | Error, request, reply) => {
    const known = toDozenError(error);
    if (known.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    // A rate limit (LOGIN_RATE_LIMITED) says when to come back.
    const retryAfter = (known.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
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

/**
 * What node:http refuses before Fastify sees a request (a head too large, a slow one, bytes that
 * are not HTTP) gets the same error shape as everything else, then the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new DozenError('REQUEST_HEAD_TOO_LARGE', 'The request head is larger than the API accepts (16 KB).')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new DozenError('REQUEST_TIMEOUT', 'The request did not arrive in time.')
        : new DozenError('INVALID_REQUEST', `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`);
  const body = JSON.stringify(known.toBody());
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? 'Error'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
