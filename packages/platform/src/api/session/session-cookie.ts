import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DozenError } from '@dozen/contracts/errors';

/** The dashboard's session cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS, host-only. */
export const SESSION_COOKIE = 'dozen_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value, if the request carries one. */
export function sessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** https when the request came over HTTPS (X-Forwarded-Proto is believed from trusted proxies only: Fastify's trustProxy). */
function overHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, expiresAt: string): void {
  const maxAge = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
  reply.header('set-cookie', `${SESSION_COOKIE}=${secret}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${overHttps(request) ? '; Secure' : ''}`);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${overHttps(request) ? '; Secure' : ''}`);
}

/** The session's CSRF token: derived from its secret, so it needs no storage and dies with the session. */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('dozen csrf v1').digest('base64url');
}

/**
 * A request the session cookie authenticates that changes something (or opens a WebSocket) must
 * come from the dashboard's own origin (Sec-Fetch-Site, else Origin) and carry the CSRF token.
 * SameSite=Strict alone does not stop another origin of the same site (an app's subdomain).
 */
export function checkCsrf(request: FastifyRequest, secret: string): void {
  const safe = (request.method === 'GET' || request.method === 'HEAD') && request.headers.upgrade === undefined;
  if (safe) return;
  const origin = requestOrigin(request);
  if (origin !== 'same-origin') throw new DozenError('CSRF_REJECTED', `A ${request.method} with the session cookie came from ${origin}, not from the dashboard's origin.`);
  if (request.headers.upgrade !== undefined) return;
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameText(given, csrfTokenOf(secret))) throw new DozenError('CSRF_REJECTED', `A ${request.method} with the session cookie carried ${typeof given === 'string' ? 'a wrong' : 'no'} CSRF token (${CSRF_HEADER}).`);
}

/** 'same-origin', or what the request says it came from. */
export function requestOrigin(request: FastifyRequest): string {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (typeof site === 'string' && site !== 'same-origin') return `a ${site} page${typeof origin === 'string' ? ` (${origin.slice(0, 200)})` : ''}`;
  if (typeof origin === 'string') {
    const own = `${request.protocol}://${request.host}`;
    return origin === own ? 'same-origin' : origin.slice(0, 200);
  }
  return typeof site === 'string' ? 'same-origin' : 'an unknown origin (no Origin or Sec-Fetch-Site header)';
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
