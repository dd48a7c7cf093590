import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { getConfig, planConfig, updateConfig } from '../../core/use-cases/config-vars.js';
import { previewDeploy } from '../../core/use-cases/deploy-preview.js';
import { diffReleases } from '../../core/use-cases/release-diff.js';
import { listReleases, planRollback, rollback } from '../../core/use-cases/releases.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireRelease } from '../wire.js';
import { toWirePlan } from '../wire-plan.js';

export function releaseRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listReleases, async ({ params }) => {
    const { app: found, releases } = await listReleases(deps, params.app);
    const digests = new Map<string, string | null>();
    for (const id of new Set(releases.map((r) => r.slugId))) if (id !== null) digests.set(id, (await deps.store.findSlug(id))?.digest ?? null);
    return releases.map((r) => ({ ...toWireRelease(found, r), slugDigest: r.slugId === null ? null : (digests.get(r.slugId) ?? null) }));
  });
  jsonRoute(app, routes.diffReleases, async ({ params, query }) => diffReleases(deps, params.app, query.from, query.to));
  jsonRoute(app, routes.rollback, async ({ params, query, body, request }) => {
    if (query.dryRun) return toWirePlan(params.app, await planRollback(deps, params.app, body.version));
    const { app: found, release } = await rollback(acting(deps, request), params.app, body.version);
    return toWireRelease(found, release);
  });
  jsonRoute(app, routes.planDeploy, async ({ params, body }) => {
    const plan = await previewDeploy(deps, params.app, body.procfile);
    return { app: params.app, release: plan.release.version, steps: plan.steps, ...(plan.releasePhase === null ? {} : { releasePhase: plan.releasePhase }) };
  });
  jsonRoute(app, routes.getConfig, async ({ params }) => getConfig(deps, params.app));
  jsonRoute(app, routes.updateConfig, async ({ params, query, body, request }) => {
    if (query.dryRun) return toWirePlan(params.app, (await planConfig(deps, params.app, body)).plan);
    const { app: found, config, release } = await updateConfig(acting(deps, request), params.app, body);
    return { config, release: release && toWireRelease(found, release) };
  });
}
