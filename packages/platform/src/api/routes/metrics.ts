import type { FastifyInstance } from 'fastify';
import { streamRoutes } from '@dozen/contracts';
import type { MetricsSource } from '../../shared-ports/metrics.js';
import { renderPrometheus } from '../prometheus-text.js';

/** GET /metrics for Prometheus: whatever the sources measure (the router, per app). */
export function metricsRoutes(app: FastifyInstance, sources: MetricsSource[]): void {
  app.get(streamRoutes.metrics.url, async (_request, reply) => {
    reply.header('content-type', streamRoutes.metrics.contentType).header('cache-control', 'no-store');
    const families = await Promise.all(sources.map((source) => source.collect()));
    return renderPrometheus(families.flat());
  });
}
