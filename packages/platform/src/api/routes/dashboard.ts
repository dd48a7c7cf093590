import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { streamRoutes } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';

/** No inline script or style, no eval, nothing from another host. */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  type: string;
  body: Buffer;
  gzipped: Buffer | null;
}

/** Every file of the built dashboard, read once at start (a few hundred KB), gzipped where it pays. */
function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        const type = TYPES[extname(name)] ?? 'application/octet-stream';
        const gzipped = /^(text|image\/svg|application\/json)/.test(type) && body.length > 512 ? gzipSync(body, { level: 9 }) : null;
        files.set('/' + relative(dir, path).split(sep).join('/'), { type, body, gzipped });
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * The dashboard (packages/dashboard/dist): `/` and the client routes under `/ui/` answer
 * index.html (the page routes itself); `/assets/` the hashed scripts and styles, cached for a
 * year. `dir` null or missing: the routes answer ROUTE_NOT_FOUND saying how to build it.
 */
export function dashboardRoutes(app: FastifyInstance, dir: string | null): void {
  const files = dir !== null && existsSync(join(dir, 'index.html')) ? loadFiles(dir) : null;
  const send = (request: FastifyRequest, reply: FastifyReply, path: string, cache: string) => {
    const file = files?.get(path);
    if (!files || !file) {
      throw new DozenError('ROUTE_NOT_FOUND', files ? `The dashboard has no file ${path.slice(0, 200)}.` : 'The dashboard is not built into this platform.', files ? {} : { hint: 'Run `npm run build` (it builds packages/dashboard), then restart the platform.' });
    }
    const gzip = file.gzipped !== null && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply
      .header('content-type', file.type)
      .header('cache-control', cache)
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzipped : file.body);
  };
  const page = async (request: FastifyRequest, reply: FastifyReply) => send(request, reply, '/index.html', 'no-cache');
  app.get(streamRoutes.dashboardIndex.url, page);
  app.get(streamRoutes.dashboardPages.url, page);
  app.get(streamRoutes.dashboardAssets.url, async (request, reply) => send(request, reply, new URL(request.url, 'http://x').pathname, 'public, max-age=31536000, immutable'));
}
