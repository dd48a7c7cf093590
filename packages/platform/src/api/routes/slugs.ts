import type { FastifyInstance } from 'fastify';
import { streamRoutes } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../../core/deps.js';
import type { SlugDownloads } from '../../shared-ports/slug-downloads.js';

/**
 * GET /slugs/:slug (issue 19): the slug as one archive, for an init container on a cluster. A
 * public route: its own token (slug-token.ts) is checked here, and opens that one slug only.
 */
export function slugRoutes(app: FastifyInstance, deps: CoreDeps, downloads: SlugDownloads | null): void {
  app.get<{ Params: { slug: string } }>(streamRoutes.downloadSlug.url, async (request, reply) => {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const opened = downloads === null || bearer === undefined ? null : downloads.slugOfToken(bearer);
    if (downloads === null || opened !== request.params.slug) {
      // As for an app the caller cannot see: a slug the token does not open does not exist for it.
      throw new DozenError('SLUG_NOT_FOUND', `There is no slug ${JSON.stringify(request.params.slug)} that the token given opens.`);
    }
    const slug = await deps.store.findSlug(opened);
    if (!slug) throw new DozenError('SLUG_NOT_FOUND', `Slug ${JSON.stringify(opened)} does not exist (any more).`);
    if (slug.collectedAt !== undefined) throw new DozenError('SLUG_COLLECTED', `Slug ${slug.id} was removed by garbage collection at ${slug.collectedAt}.`);
    const archive = await downloads.archive(slug.appId, slug.id);
    reply.header('content-type', streamRoutes.downloadSlug.contentType).header('content-length', String(archive.bytes)).header('x-dozen-sha256', archive.sha256);
    return reply.send(archive.open());
  });
}
