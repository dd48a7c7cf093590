import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { platformStatus } from '../../core/use-cases/platform-status.js';
import { jsonRoute } from '../json-route.js';

export function statusRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getStatus, () => platformStatus(deps));
}
