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

export function installAuth(app: FastifyInstance, authenticate: (token: string) => Promise<Token | undefined>, metricsToken: string | null = null): void {
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (path === METRICS_PATH && metricsToken !== null && match && sameSecret(match[1] as string, metricsToken)) return;
    const token = match ? await authenticate(match[1] as string) : undefined;
    if (!token) {
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
