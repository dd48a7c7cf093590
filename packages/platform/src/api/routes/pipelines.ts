import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routes } from '@dozen/contracts';
import type { Pipeline as WirePipeline, ReviewSettings as WireReviewSettings } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { Principal } from '../../core/model.js';
import type { Pipeline } from '../../core/ports/pipelines-store.js';
import { DEFAULT_STALE_DAYS } from '../../core/review-apps.js';
import { addPipelineApp, createPipeline, destroyPipeline, listPipelines, removePipelineApp, requirePipeline, viewPipeline, type PipelineView } from '../../core/use-cases/pipelines.js';
import { promote } from '../../core/use-cases/promote.js';
import { disableReviewApps, enableReviewApps, reviewConfig, updateReviewConfig } from '../../core/use-cases/review-settings.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireRelease } from '../wire.js';

/** Pipelines, promotion and review-app settings (issue 17). */
export function pipelineRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const caller = (request: FastifyRequest): Principal => request.principal as Principal;
  const view = async (request: FastifyRequest, pipeline: Pipeline) => toWirePipeline(deps, await viewPipeline(deps, caller(request), pipeline));
  jsonRoute(app, routes.listPipelines, async ({ request }) => (await listPipelines(deps, caller(request))).map((v) => toWirePipeline(deps, v)));
  jsonRoute(app, routes.createPipeline, async ({ body, request }) => view(request, await createPipeline(acting(deps, request), body.name)));
  jsonRoute(app, routes.getPipeline, async ({ params, request }) => view(request, await requirePipeline(deps, params.pipeline)));
  jsonRoute(app, routes.destroyPipeline, async ({ params, request }) => {
    const pipeline = await requirePipeline(deps, params.pipeline);
    const shown = await view(request, pipeline);
    await destroyPipeline(acting(deps, request), caller(request), pipeline.name);
    return shown;
  });
  jsonRoute(app, routes.addPipelineApp, async ({ params, body, request }) => {
    const { app: added, stage } = await addPipelineApp(acting(deps, request), params.app, body.pipeline, body.stage);
    return { app: added.name, pipeline: body.pipeline, stage };
  });
  jsonRoute(app, routes.removePipelineApp, async ({ params, request }) => {
    const entry = await deps.store.findApp(params.app).then((a) => a && deps.store.findPipelineApp(a.id));
    const { app: removed, pipeline } = await removePipelineApp(acting(deps, request), params.app);
    return { app: removed.name, pipeline: pipeline.name, stage: entry?.stage ?? 'development' };
  });
  jsonRoute(app, routes.promote, async ({ params, body, request }) => {
    const output: string[] = [];
    const outcome = await promote(acting(deps, request), caller(request), params.app, body.to, (line) => output.push(line));
    return {
      pipeline: outcome.pipeline,
      source: { app: outcome.source.app.name, version: outcome.source.release.version, slug: outcome.source.slug.id, digest: outcome.source.slug.digest ?? null },
      promotions: outcome.promotions.map((p) => ({ release: toWireRelease(p.app, p.release), slug: p.slug.id, digest: p.slug.digest ?? null })),
      output,
    };
  });
  jsonRoute(app, routes.enableReviewApps, async ({ params, body, request }) => toWireReview(await enableReviewApps(acting(deps, request), caller(request), params.pipeline, body)));
  jsonRoute(app, routes.disableReviewApps, async ({ params, request }) => toWireReview(await disableReviewApps(acting(deps, request), caller(request), params.pipeline)));
  jsonRoute(app, routes.getReviewConfig, async ({ params, request }) => reviewConfig(deps, caller(request), params.pipeline));
  jsonRoute(app, routes.updateReviewConfig, async ({ params, body, request }) => updateReviewConfig(deps, caller(request), params.pipeline, body));
}

function toWireReview(pipeline: Pipeline): WireReviewSettings {
  const review = pipeline.review;
  if (review === null) return { enabled: false, autodeploy: false, staleDays: DEFAULT_STALE_DAYS, configKeys: [] };
  return { enabled: true, autodeploy: review.autodeploy, staleDays: review.staleDays, configKeys: Object.keys(review.config).sort() };
}

function toWirePipeline(deps: CoreDeps, view: PipelineView): WirePipeline {
  return {
    name: view.pipeline.name,
    createdAt: view.pipeline.createdAt,
    apps: view.apps.map((s) => ({ app: s.app.name, stage: s.stage, release: s.app.currentRelease })),
    hiddenApps: view.hidden,
    reviewApps: toWireReview(view.pipeline),
    reviews: view.reviewApps.map(({ app, review }) => ({ app: app.name, branch: review.branch, url: deps.settings.webUrl(app.name), createdAt: review.createdAt, lastPushAt: review.lastPushAt })),
  };
}
