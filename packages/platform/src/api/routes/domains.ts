import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { addDomain, listDomains, removeDomain } from '../../core/use-cases/domains.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireDomain } from '../wire.js';

export function domainRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listDomains, async ({ params }) => (await listDomains(deps, params.app)).map(toWireDomain));
  jsonRoute(app, routes.addDomain, async ({ params, body, request }) => toWireDomain(await addDomain(acting(deps, request), params.app, body.hostname)));
  jsonRoute(app, routes.removeDomain, async ({ params, request }) => {
    await removeDomain(acting(deps, request), params.app, params.hostname);
    return { removed: params.hostname };
  });
}
