import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { Token } from '../../core/model.js';
import { createToken, listTokens, revokeToken } from '../../core/use-cases/tokens.js';
import { jsonRoute } from '../json-route.js';
import { toWireToken } from '../wire-teams.js';
import { caller } from './auth.js';

/** tokens, tokens:create, tokens:revoke. */
export function tokenRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const wire = async (tokens: Token[]) => {
    const users = new Map((await deps.store.listUsers()).map((u) => [u.id, u]));
    const apps = new Map((await deps.store.listApps()).map((a) => [a.id, a]));
    return tokens.map((t) => toWireToken(t, users, apps));
  };
  jsonRoute(app, routes.listTokens, async ({ request }) => wire(await listTokens(deps, caller(request))));
  jsonRoute(app, routes.createToken, async ({ body, request }) => {
    const { token, made } = await createToken(deps, caller(request), body);
    const [info] = await wire([made]);
    return { token, info: info! };
  });
  jsonRoute(app, routes.revokeToken, async ({ params, request }) => (await wire([await revokeToken(deps, caller(request), params.token)]))[0]!);
}
