import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { App, Release } from '../../core/model.js';
import { listAddons } from '../../core/use-cases/addon-views.js';
import { addonInfo, createAddon, destroyAddon, rotateAddonCredentials } from '../../core/use-cases/addons.js';
import { visibleApps } from '../../core/use-cases/access.js';
import { requireApp } from '../../core/use-cases/apps.js';
import { attachAddon, detachAddon, planAttach, planDetach } from '../../core/use-cases/attachments.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireAddon, toWireRelease } from '../wire.js';
import { toWirePlan } from '../wire-plan.js';
import { caller } from './auth.js';

export function addonRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const release = async (appName: string, made: Release | null) => made && toWireRelease(await requireApp(deps, appName), made);
  const releases = (made: { app: App; release: Release }[]) => made.map((r) => toWireRelease(r.app, r.release));

  jsonRoute(app, routes.listAllAddons, async ({ request }) => {
    // Only the add-ons of apps the caller may view.
    const visible = new Set((await visibleApps(deps, caller(request))).map((a) => a.name));
    return (await listAddons(deps, undefined)).filter((view) => visible.has(view.owner)).map(toWireAddon);
  });
  jsonRoute(app, routes.listAddons, async ({ params }) => (await listAddons(deps, params.app)).map(toWireAddon));
  jsonRoute(app, routes.createAddon, async ({ params, body, request }) => {
    const { view, release: made } = await createAddon(acting(deps, request), params.app, body);
    return { addon: toWireAddon(view), release: await release(params.app, made) };
  });
  jsonRoute(app, routes.getAddon, async ({ params }) => {
    const { view, details } = await addonInfo(deps, params.app, params.addon);
    return { addon: toWireAddon(view), details };
  });
  jsonRoute(app, routes.destroyAddon, async ({ params, query, request }) => {
    const done = await destroyAddon(acting(deps, request), params.app, params.addon, query.confirm);
    return { addon: done.addon.name, releases: releases(done.releases) };
  });
  jsonRoute(app, routes.rotateAddonCredentials, async ({ params, request }) => {
    const done = await rotateAddonCredentials(acting(deps, request), params.app, params.addon);
    return { addon: done.addon.name, releases: releases(done.releases) };
  });
  jsonRoute(app, routes.attachAddon, async ({ params, query, body, request }) => {
    if (query.dryRun) return toWirePlan(params.app, (await planAttach(deps, params.app, body.addon, body.as)).plan);
    const { view, app: found, release: made } = await attachAddon(acting(deps, request), params.app, body.addon, body.as);
    return { addon: toWireAddon(view), release: made && toWireRelease(found, made) };
  });
  jsonRoute(app, routes.detachAddon, async ({ params, query, request }) => {
    if (query.dryRun) return toWirePlan(params.app, (await planDetach(deps, params.app, params.name)).plan);
    const { view, app: found, release: made } = await detachAddon(acting(deps, request), params.app, params.name);
    return { addon: toWireAddon(view), release: made && toWireRelease(found, made) };
  });
}
