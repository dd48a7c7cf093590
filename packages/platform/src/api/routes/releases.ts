import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { requireApp } from '../../core/use-cases/apps.js';
import { getConfig, updateConfig } from '../../core/use-cases/config-vars.js';
import { previewDeploy } from '../../core/use-cases/deploy-preview.js';
import { listReleases, rollback } from '../../core/use-cases/releases.js';
import { jsonRoute } from '../json-route.js';
import { toWireRelease } from '../wire.js';

export function releaseRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listReleases, async ({ params }) => {
    const { app: found, releases } = await listReleases(deps, params.app);
    return releases.map((r) => toWireRelease(found, r));
  });
  jsonRoute(app, routes.rollback, async ({ params, body }) => {
    const release = await rollback(deps, params.app, body.version);
    return toWireRelease(await requireApp(deps, params.app), release);
  });
  jsonRoute(app, routes.planDeploy, async ({ params, body }) => {
    const { release, steps } = await previewDeploy(deps, params.app, body.procfile);
    return { app: params.app, release, steps };
  });
  jsonRoute(app, routes.getConfig, async ({ params }) => getConfig(deps, params.app));
  jsonRoute(app, routes.updateConfig, async ({ params, body }) => {
    const { config, release } = await updateConfig(deps, params.app, body);
    return { config, release: release && toWireRelease(await requireApp(deps, params.app), release) };
  });
}
