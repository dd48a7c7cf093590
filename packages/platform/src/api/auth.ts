import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DozenError } from '@dozen/contracts/errors';
import type { Token } from '../core/model.js';

/** The only routes that answer without a token, matched on the exact path (never the query). */
export const PUBLIC_PATHS = new Set(['/healthz']);

declare module 'fastify' {
  interface FastifyRequest {
    token?: Token;
  }
}

/** The one route a metrics token (DOZEN_METRICS_TOKEN) opens, matched exactly like the public path. */
export const METRICS_PATH = '/metrics';

/** Git clients can only send Basic credentials: on the git routes the token is the password. */
const GIT_PATH = /^\/git\//;

export function installAuth(app: FastifyInstance, authenticate: (token: string) => Promise<Token | undefined>, metricsToken: string | null = null): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    const git = GIT_PATH.test(path);
    const presented = /^Bearer (\S+)$/i.exec(header)?.[1] ?? (git ? basicPassword(header) : undefined);
    if (path === METRICS_PATH && metricsToken !== null && presented !== undefined && sameSecret(presented, metricsToken)) return;
    const token = presented ? await authenticate(presented) : undefined;
    if (!token) {
      // Without this challenge git would not ask its credential helper for the token.
      if (git) reply.header('www-authenticate', 'Basic realm="Dozen", charset="UTF-8"');
      throw new DozenError('UNAUTHORIZED', header ? 'The API token was not accepted.' : 'This route needs an API token (Authorization: Bearer ...).');
    }
    request.token = token;
  });
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
