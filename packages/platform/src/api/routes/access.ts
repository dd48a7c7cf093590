import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { grantAccess, listAccess, removeAccess, transferApp } from '../../core/use-cases/access.js';
import { jsonRoute } from '../json-route.js';

/** access, access:add, access:update, access:remove, apps:transfer. */
export function accessRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listAccess, async ({ params }) => listAccess(deps, params.app));
  jsonRoute(app, routes.addAccess, async ({ params, body }) => grantAccess(deps, params.app, body.email, body.permissions, false));
  jsonRoute(app, routes.updateAccess, async ({ params, body }) => grantAccess(deps, params.app, params.email, body.permissions, true));
  jsonRoute(app, routes.removeAccess, async ({ params }) => removeAccess(deps, params.app, params.email));
  jsonRoute(app, routes.transferApp, async ({ params, body }) => transferApp(deps, params.app, body.email));
}
