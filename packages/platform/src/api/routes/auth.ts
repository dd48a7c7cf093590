import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { LoginThrottle } from '../../core/login-throttle.js';
import type { Principal } from '../../core/model.js';
import { revokeToken } from '../../core/use-cases/tokens.js';
import { completeSetup, login } from '../../core/use-cases/users.js';
import { jsonRoute } from '../json-route.js';

/** Login, setting a password with a setup code, logout, whoami. */
export function authRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const throttle = new LoginThrottle(deps.clock);
  jsonRoute(app, routes.login, async ({ body, request }) => {
    const session = await login(deps, throttle, request.ip, body.email, body.password);
    return { token: session.token, tokenId: session.tokenId, email: session.user.email };
  });
  jsonRoute(app, routes.completeSetup, async ({ body }) => {
    const session = await completeSetup(deps, body.code, body.password);
    return { token: session.token, tokenId: session.tokenId, email: session.user.email };
  });
  jsonRoute(app, routes.logout, async ({ request }) => ({ revoked: (await revokeToken(deps, caller(request), caller(request).tokenId)).id }));
  jsonRoute(app, routes.whoami, async ({ request }) => {
    const who = caller(request);
    return { token: who.tokenId, role: who.admin ? 'admin' : 'user', label: who.label, admin: who.admin };
  });
}

/** The principal the authorization hook set; a route that needs one and has none is a bug. */
export function caller(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`no principal on ${request.method} ${request.url}: the route's access rule must not be public`);
  return request.principal;
}
