import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { addUser, listUsers, removeUser } from '../../core/use-cases/users.js';
import { jsonRoute } from '../json-route.js';
import { toWireUser } from '../wire-teams.js';

/** users, users:add, users:remove (the admin). */
export function userRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listUsers, async () => (await listUsers(deps)).map(toWireUser));
  jsonRoute(app, routes.addUser, async ({ body, request }) => {
    const { user, setupCode } = await addUser(deps, body.email);
    // The link is for a dashboard; the code after # never reaches a server log.
    const setupUrl = `${request.protocol}://${request.host}/setup#${setupCode}`;
    return { user: toWireUser(user), setupCode, setupUrl, expiresAt: user.setupExpiresAt ?? '' };
  });
  jsonRoute(app, routes.removeUser, async ({ params }) => ({ removed: (await removeUser(deps, params.email)).email }));
}
