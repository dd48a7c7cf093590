import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routes, streamRoutes, type Access } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../core/deps.js';
import type { Principal } from '../core/model.js';
import { authorizeApp } from '../core/use-cases/access.js';
import { authenticate } from '../core/use-cases/tokens.js';
import { checkCsrf, sessionCookie } from './session/session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes the request; set by the authorization hook before any handler (absent on public routes). */
    principal?: Principal;
    /** The dashboard's session secret, when the session cookie (not a token) authenticated the request. */
    sessionSecret?: string;
  }
}

/** Every route's rule, by `METHOD url` as registered: the contracts' declarations, nothing else. */
export const ACCESS_RULES: ReadonlyMap<string, Access> = new Map(
  [...Object.values(routes), ...Object.values(streamRoutes)].map((route) => [`${route.method} ${route.url}`, route.access]),
);

/** The one route a metrics token (DOZEN_METRICS_TOKEN) opens. */
const METRICS_KEY = `GET ${streamRoutes.metrics.url}`;

export interface AuthorizationOptions {
  deps: Pick<CoreDeps, 'store' | 'ids' | 'clock'>;
  metricsToken: string | null;
  /** The roles' shared secret (DOZEN_CLUSTER_TOKEN) that alone opens the `cluster` routes; null: those routes do not exist. */
  clusterToken?: string | null;
  /** The rules enforced (tests pass a changed copy); default ACCESS_RULES. */
  rules?: ReadonlyMap<string, Access>;
}

/**
 * The one authorization layer: every registered route must have a rule (else buildApi throws),
 * and one onRequest hook resolves the caller (request.principal) and enforces the rule before
 * any handler, body parser or WebSocket upgrade.
 */
export function installAuthorization(app: FastifyInstance, options: AuthorizationOptions): void {
  const rules = options.rules ?? ACCESS_RULES;
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const key = `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
      if (!rules.has(key)) throw new Error(`The route ${method} ${route.url} declares no access rule: add \`access\` to its contract (routes.ts or stream-routes.ts).`);
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    try {
      await authorizeRequest(request, reply, rules, options);
    } catch (error) {
      // A refused WebSocket upgrade (the run route): Node hands such sockets over and never closes
      // them, so the answer closes it, or it would stay half-open and hold the platform's shutdown.
      if (request.headers.upgrade !== undefined) {
        reply.header('connection', 'close');
        reply.raw.once('finish', () => request.raw.socket.destroy());
      }
      throw error;
    }
  });
}

async function authorizeRequest(request: FastifyRequest, reply: FastifyReply, rules: ReadonlyMap<string, Access>, options: AuthorizationOptions): Promise<void> {
  const key = request.routeOptions.url === undefined ? undefined : `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`;
  const rule = key === undefined ? undefined : rules.get(key);
  if (rule === 'public') return;
  const git = key?.includes(' /git/') ?? request.url.startsWith('/git/');
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer (\S+)$/i.exec(header)?.[1] ?? (git ? basicPassword(header) : undefined);
  if (key === METRICS_KEY && options.metricsToken !== null && bearer !== undefined && sameSecret(bearer, options.metricsToken)) return;
  // The roles' shared secret opens the `cluster` routes; any other caller goes on, to be refused below.
  if (rule === 'cluster' && options.clusterToken && bearer !== undefined && sameSecret(bearer, options.clusterToken)) return;
  // The dashboard's session cookie, only when no token is given (a token request is unchanged).
  const cookie = bearer === undefined && header === '' ? sessionCookie(request) : undefined;
  const presented = bearer ?? cookie;
  try {
    if (!presented) throw new DozenError('UNAUTHORIZED', 'This route needs an API token (Authorization: Bearer ...) or a dashboard session.');
    if (cookie !== undefined) checkCsrf(request, cookie);
    request.principal = await authenticate(options.deps, presented);
    if (cookie !== undefined) request.sessionSecret = cookie;
  } catch (error) {
    // Without this challenge git would not ask its credential helper for the token.
    if (git) reply.header('www-authenticate', 'Basic realm="Dozen", charset="UTF-8"');
    throw error;
  }
  // An unknown route: a valid token is enough for its ROUTE_NOT_FOUND.
  if (rule === 'cluster') refuseRole(options.clusterToken ?? null, request);
  if (rule !== undefined) await enforce(options.deps, request.principal, rule, request);
}

async function enforce(deps: Pick<CoreDeps, 'store'>, caller: Principal, rule: Exclude<Access, 'public' | 'cluster'>, request: FastifyRequest): Promise<void> {
  if (rule === 'token') return;
  if (typeof rule === 'object') {
    const appName = (request.params as { app?: unknown }).app;
    if (typeof appName !== 'string') throw new Error(`The route ${request.routeOptions.url ?? ''} needs an app permission but has no :app.`);
    await authorizeApp(deps, caller, appName, rule.app);
    return;
  }
  const limited = caller.appId !== null || caller.permissions !== null;
  if (limited) throw new DozenError('PERMISSION_DENIED', 'This token is limited to an app or to some permissions; this needs an unrestricted token.', { hint: 'Use the token `dozen login` saved, or create one without --app and --permissions.' });
  if (rule === 'admin' && !caller.admin) throw new DozenError('PERMISSION_DENIED', `${caller.label} is not the platform admin; only the admin can do this.`, { hint: 'Ask the platform admin.' });
}

/**
 * A `cluster` route (the roles' internal routes) called with a valid token that is not the cluster
 * token: no user's token opens it, the admin's neither. Without a cluster (`dozen up`) it does not exist.
 */
function refuseRole(clusterToken: string | null, request: FastifyRequest): never {
  if (clusterToken === null) throw new DozenError('ROUTE_NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0] ?? ''} on this platform (its roles do not run as separate processes).`);
  throw new DozenError('PERMISSION_DENIED', 'This internal route is for the platform\'s own roles: only the cluster token (DOZEN_CLUSTER_TOKEN) opens it, no user\'s token.', { hint: 'Nothing to do as a user: the builder and runtime roles call it.' });
}

/** Compares secrets in constant time (their hashes have equal length). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Basic base64(user:password)` -> password (any user name). */
function basicPassword(header: string): string | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}
