import type { FastifyInstance } from 'fastify';
import { DOZEN_VERSION, routes } from '@dozen/contracts';
import { jsonRoute } from '../json-route.js';

export function healthRoutes(app: FastifyInstance): void {
  jsonRoute(app, routes.health, async () => ({ status: 'ok' as const, version: DOZEN_VERSION }));
}
