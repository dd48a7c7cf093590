import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { visibleApps } from '../../core/use-cases/access.js';
import { createApp, destroyApp, getAppInfo } from '../../core/use-cases/apps.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireApp } from '../wire.js';
import { caller } from './auth.js';

export function appRoutes(app: FastifyInstance, deps: CoreDeps): void {
  // Only the apps the caller may view: the others are not there for them (404, not 403).
  jsonRoute(app, routes.listApps, async ({ request }) => (await visibleApps(deps, caller(request))).map(toWireApp));
  // The creator owns it; the admin's apps have no owner row (null: the admin).
  jsonRoute(app, routes.createApp, async ({ body, request }) => toWireApp(await createApp(acting(deps, request), body.name, caller(request).userId)));
  jsonRoute(app, routes.getApp, async ({ params }) => {
    const info = await getAppInfo(deps, params.app);
    return { ...info, app: toWireApp(info.app) };
  });
  jsonRoute(app, routes.destroyApp, async ({ params, query, request }) => {
    await destroyApp(acting(deps, request), params.app, query.confirm);
    return { destroyed: params.app };
  });
}
