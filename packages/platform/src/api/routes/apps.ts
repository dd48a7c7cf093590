import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { createApp, destroyApp, getAppInfo, listApps } from '../../core/use-cases/apps.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireApp } from '../wire.js';

export function appRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listApps, async () => (await listApps(deps)).map(toWireApp));
  jsonRoute(app, routes.createApp, async ({ body, request }) => toWireApp(await createApp(acting(deps, request), body.name)));
  jsonRoute(app, routes.getApp, async ({ params }) => {
    const info = await getAppInfo(deps, params.app);
    return { ...info, app: toWireApp(info.app) };
  });
  jsonRoute(app, routes.destroyApp, async ({ params, query, request }) => {
    await destroyApp(acting(deps, request), params.app, query.confirm);
    return { destroyed: params.app };
  });
}
