import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { addDrain, listDrains, removeDrain } from '../../core/use-cases/drains.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireDrain } from '../wire.js';

export function drainRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listDrains, async ({ params }) => (await listDrains(deps, params.app)).map(toWireDrain));
  jsonRoute(app, routes.addDrain, async ({ params, body, request }) => toWireDrain(await addDrain(acting(deps, request), params.app, body.url)));
  jsonRoute(app, routes.removeDrain, async ({ params, request }) => toWireDrain(await removeDrain(acting(deps, request), params.app, params.drain)));
}
