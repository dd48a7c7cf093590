import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { rotateSecretKey } from '../../core/use-cases/secrets.js';
import { jsonRoute } from '../json-route.js';

export function secretRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.rotateSecretKey, async ({ request }) => {
    const rotation = await rotateSecretKey(deps);
    // Key ids only: never a key.
    request.log.info({ keyId: rotation.keyId, retired: rotation.retiredKeyIds, rewrapped: rotation.rewrapped }, 'secrets: master key rotated');
    return rotation;
  });
}
