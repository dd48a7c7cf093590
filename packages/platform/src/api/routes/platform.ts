import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routes } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import { jsonRoute } from '../json-route.js';

/**
 * POST /platform/down (`dozen down`): answered first, then the process stops as on SIGTERM; with
 * `stopApps` the edge stops every app process and itself too.
 */
export function platformRoutes(app: FastifyInstance, down: ((stopApps: boolean) => void) | null): void {
  const asked = new WeakMap<FastifyRequest, boolean>();
  jsonRoute(app, routes.platformDown, async ({ body, request }) => {
    if (down === null) throw new DozenError('INVALID_REQUEST', 'This platform process cannot be stopped through its API (it was not started by `dozen up`).');
    const stopApps = body.stopApps === true;
    asked.set(request, stopApps);
    return { stopping: true as const, stopApps };
  });
  // Once the answer is sent: a stop closes the API, which would cut it.
  app.addHook('onResponse', async (request) => {
    const stopApps = asked.get(request);
    if (stopApps !== undefined && down !== null) setImmediate(() => down(stopApps));
  });
}
