import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { getFormation, scale } from '../../core/use-cases/formation.js';
import { listProcesses, restartProcesses } from '../../core/use-cases/processes.js';
import { jsonRoute } from '../json-route.js';
import { toWireProcess } from '../wire.js';

export function processRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getFormation, async ({ params }) => getFormation(deps, params.app));
  jsonRoute(app, routes.updateFormation, async ({ params, body }) => scale(deps, params.app, body.updates));
  jsonRoute(app, routes.listProcesses, async ({ params }) => (await listProcesses(deps, params.app)).map(toWireProcess));
  jsonRoute(app, routes.restartProcesses, async ({ params, body }) => (await restartProcesses(deps, params.app, body.type)).map(toWireProcess));
}
