import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { releaseEvidence } from '../../core/use-cases/release-evidence.js';
import { jsonRoute } from '../json-route.js';

/** The scorecard's runtime evidence of a release (issue 18). */
export function evidenceRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getReleaseEvidence, async ({ params }) => releaseEvidence(deps, params.app, params.version));
}
