import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { streamRoutes } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { Artefacts } from '../../cluster/cluster-ports.js';
import { checkArtefactName } from '../../cluster/store-artefacts.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * PUT and GET /internal/artefacts/<name> (issue 19): sources and slugs for the builder and runtime
 * roles, which need no shared disk. The authorization hook lets only the cluster token through
 * (access `cluster`); the sha256 travels in X-Dozen-Sha256 both ways and is checked on the way in.
 */
export function artefactRoutes(app: FastifyInstance, artefacts: Artefacts | null): void {
  app.put<{ Params: { '*': string } }>(streamRoutes.putArtefact.url, async (request, reply) => {
    const name = artefactName(request.params['*'], artefacts);
    const sha256 = String(request.headers['x-dozen-sha256'] ?? '').toLowerCase();
    if (!SHA256.test(sha256)) throw new DozenError('INVALID_REQUEST', 'Send the artefact\'s sha256 (64 hex digits) in X-Dozen-Sha256.');
    const body = request.body as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new DozenError('INVALID_REQUEST', `Send the artefact as ${streamRoutes.putArtefact.contentType}.`);
    const { sizeBytes } = await (artefacts as Artefacts).put(name, sha256, body);
    return reply.code(201).send({ name, sha256, sizeBytes });
  });

  app.get<{ Params: { '*': string } }>(streamRoutes.getArtefact.url, async (request, reply) => {
    const name = artefactName(request.params['*'], artefacts);
    const found = await (artefacts as Artefacts).open(name);
    if (!found) throw new DozenError('ARTEFACT_NOT_FOUND', `There is no artefact ${name} in the store.`);
    reply.header('content-type', streamRoutes.getArtefact.contentType).header('content-length', String(found.sizeBytes)).header('x-dozen-sha256', found.sha256);
    return reply.send(Readable.from(found.body));
  });
}

function artefactName(raw: string, artefacts: Artefacts | null): string {
  if (artefacts === null) throw new DozenError('ARTEFACT_NOT_FOUND', `There is no artefact ${JSON.stringify(raw)}: this api keeps none.`);
  checkArtefactName(raw);
  return raw;
}
