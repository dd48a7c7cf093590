import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { routes, streamRoutes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { capturePgBackup, listPgBackups, openPgBackup, restorePgBackup } from '../../core/use-cases/pg-backups.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';

/** Heroku's pg:backups: dumps of one postgres add-on (issue 15). */
export function pgBackupRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listPgBackups, ({ params }) => listPgBackups(deps, params.app));
  jsonRoute(app, routes.capturePgBackup, ({ params, body, request }) => capturePgBackup(acting(deps, request), params.app, body.addon));
  jsonRoute(app, routes.restorePgBackup, ({ params, body, request }) => restorePgBackup(acting(deps, request), params.app, { id: params.backup, addon: body.addon, confirm: body.confirm }));
  app.get<{ Params: { app: string; backup: string } }>(streamRoutes.downloadPgBackup.url, async (request, reply) => {
    const dump = await openPgBackup(deps, request.params.app, request.params.backup);
    reply.header('content-type', streamRoutes.downloadPgBackup.contentType).header('content-length', String(dump.bytes));
    return reply.send(Readable.from(dump.stream));
  });
}
