import { normalizeHost } from './host-table.js';
import type { RequestHead } from './request-head.js';
import type { RouterContext } from './router-context.js';

/** Where an ACME CA asks for the HTTP-01 answer (RFC 8555, 8.3). */
const CHALLENGE_PATH = '/.well-known/acme-challenge/';
/** Host names that go into a Location header as they are. */
const PLAIN_HOST = /^[a-z0-9.-]+$/;

/** The answer to a CA's HTTP-01 request on the HTTP listener, or null when the request is not one. */
export function challengePage(ctx: RouterContext, head: RequestHead): Buffer | null {
  if (ctx.proto !== 'http' || !head.target.startsWith(CHALLENGE_PATH)) return null;
  const answer = ctx.tls.challenges.get(head.target.slice(CHALLENGE_PATH.length));
  if (answer === undefined) return null;
  return Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(answer)}\r\nVia: 1.1 dozen\r\n\r\n${answer}`, 'latin1');
}

/**
 * Redirect mode's answer to a plain HTTP request: a 308 (method and body kept) to the same host,
 * path and query on the HTTPS listener; null when there is none (off) or the host is not plain.
 */
export function redirectPage(ctx: RouterContext, head: RequestHead): Buffer | null {
  const port = ctx.httpsPort();
  const host = normalizeHost(head.host as string);
  if (port === '' || !PLAIN_HOST.test(host)) return null;
  const location = `https://${host}${port === '443' ? '' : `:${port}`}${head.target.startsWith('/') ? head.target : '/'}`;
  const body = head.method === 'HEAD' ? '' : `Redirecting to ${location}\n`;
  return Buffer.from(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(`Redirecting to ${location}\n`)}\r\nVia: 1.1 dozen\r\n\r\n${body}`, 'latin1');
}

/** The same response with `Connection: close` (the router closes after it). */
export function closing(page: Buffer): Buffer {
  const at = page.indexOf('\r\n') + 2;
  return Buffer.concat([page.subarray(0, at), Buffer.from('Connection: close\r\n', 'latin1'), page.subarray(at)]);
}
