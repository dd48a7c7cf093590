import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { LoginThrottle } from '../../core/login-throttle.js';
import { listAppSummaries } from '../../core/use-cases/app-summaries.js';
import { openSession, sessionExpiry } from '../../core/use-cases/sessions.js';
import { revokeToken } from '../../core/use-cases/tokens.js';
import { jsonRoute } from '../json-route.js';
import { clearSessionCookie, csrfTokenOf, requestOrigin, setSessionCookie } from '../session/session-cookie.js';
import { DozenError } from '@dozen/contracts/errors';
import { caller } from './auth.js';

/** The dashboard's session (sign in, who, sign out) and its apps page in one answer. */
export function sessionRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const throttle = new LoginThrottle(deps.clock);
  jsonRoute(app, routes.createSession, async ({ body, request, reply }) => {
    // A sign-in from another origin (login CSRF) is refused like any other cross-origin change.
    const origin = request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined ? requestOrigin(request) : 'same-origin';
    if (origin !== 'same-origin') throw new DozenError('CSRF_REJECTED', `A sign-in came from ${origin}, not from the dashboard's origin.`);
    const opened = await openSession(deps, throttle, request.ip, body);
    const expiresAt = opened.session.expiresAt!;
    setSessionCookie(request, reply, opened.secret, expiresAt);
    return { label: opened.principal.label, admin: opened.principal.admin, csrfToken: csrfTokenOf(opened.secret), expiresAt };
  });
  jsonRoute(app, routes.getSession, async ({ request }) => {
    const who = caller(request);
    const secret = request.sessionSecret;
    return { label: who.label, admin: who.admin, csrfToken: secret === undefined ? null : csrfTokenOf(secret), expiresAt: secret === undefined ? null : await sessionExpiry(deps, who) };
  });
  jsonRoute(app, routes.deleteSession, async ({ request, reply }) => {
    // Only a cookie session is signed out here; a token request revokes nothing (DELETE /auth/session does).
    if (request.sessionSecret === undefined) return { signedOut: false };
    await revokeToken(deps, caller(request), caller(request).tokenId);
    clearSessionCookie(request, reply);
    return { signedOut: true };
  });
  jsonRoute(app, routes.listAppSummaries, async ({ request }) => listAppSummaries(deps, caller(request)));
}
