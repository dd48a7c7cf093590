import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { listAppAudit, listAudit } from '../../core/use-cases/audit.js';
import { jsonRoute } from '../json-route.js';

export function auditRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listAudit, async ({ query }) => listAudit(deps, query));
  jsonRoute(app, routes.listAppAudit, async ({ params, query }) => listAppAudit(deps, params.app, query));
}
