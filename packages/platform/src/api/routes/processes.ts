import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { getFormation, previewScale, scale } from '../../core/use-cases/formation.js';
import { listProcessTypes, updateProcessType } from '../../core/use-cases/process-types.js';
import { listProcesses, restartProcesses, stopProcess } from '../../core/use-cases/processes.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireProcess } from '../wire.js';

export function processRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getFormation, async ({ params }) => getFormation(deps, params.app));
  jsonRoute(app, routes.updateFormation, async ({ params, body, request }) => scale(acting(deps, request), params.app, body.updates));
  jsonRoute(app, routes.planFormation, async ({ params, body }) => ({ app: params.app, ...(await previewScale(deps, params.app, body.updates)) }));
  jsonRoute(app, routes.listProcesses, async ({ params }) => (await listProcesses(deps, params.app)).map(toWireProcess));
  jsonRoute(app, routes.restartProcesses, async ({ params, body, request }) => (await restartProcesses(acting(deps, request), params.app, body.type)).map(toWireProcess));
  jsonRoute(app, routes.stopProcess, async ({ params, request }) => (await stopProcess(acting(deps, request), params.app, params.process)).map(toWireProcess));
  jsonRoute(app, routes.listProcessTypes, async ({ params }) => listProcessTypes(deps, params.app));
  jsonRoute(app, routes.updateProcessType, async ({ params, body, request }) => updateProcessType(acting(deps, request), params.app, params.type, body));
}
