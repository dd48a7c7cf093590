import type { FastifyInstance } from 'fastify';
import { routes, streamRoutes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { appMetrics } from '../../core/use-cases/app-metrics.js';
import type { MetricsSource } from '../../shared-ports/metrics.js';
import { jsonRoute } from '../json-route.js';
import { renderPrometheus } from '../prometheus-text.js';

/** GET /metrics for Prometheus: whatever the sources measure (the router per app, the processes). */
export function metricsRoutes(app: FastifyInstance, sources: MetricsSource[]): void {
  app.get(streamRoutes.metrics.url, async (_request, reply) => {
    reply.header('content-type', streamRoutes.metrics.contentType).header('cache-control', 'no-store');
    const families = await Promise.all(sources.map((source) => source.collect()));
    return renderPrometheus(families.flat());
  });
}

/** GET /apps/:app/metrics: the series the platform keeps of an app, and its deploy markers. */
export function appMetricsRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.appMetrics, async ({ params, query }) => {
    const { app: found, series, deploys } = await appMetrics(deps, params.app, { since: query.since, step: query.step });
    return { app: found.name, ...series, deploys };
  });
}
