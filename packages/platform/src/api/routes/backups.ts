import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { routes, streamRoutes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { createBackup, listBackups, openBackup } from '../../core/use-cases/backups.js';
import { jsonRoute } from '../json-route.js';

/** Backups of the whole platform (admin): list, create, download (issue 15). */
export function backupRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listBackups, () => listBackups(deps));
  jsonRoute(app, routes.createBackup, async ({ body, request }) => {
    const backup = await createBackup(deps, { withCaches: body.withCaches ?? false, scheduled: false });
    request.log.info({ backup: backup.id, bytes: backup.bytes }, 'backup written');
    return backup;
  });
  app.get<{ Params: { backup: string } }>(streamRoutes.downloadBackup.url, async (request, reply) => {
    const archive = await openBackup(deps, request.params.backup);
    reply.header('content-type', streamRoutes.downloadBackup.contentType).header('content-length', String(archive.bytes)).header('content-disposition', `attachment; filename="dozen-backup-${request.params.backup}.tar.gz"`);
    return reply.send(Readable.from(archive.stream));
  });
}
