import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LogSink } from '../core/ports.js';
import { routerErrors, sendRouterError, type RouterError } from './error-page.js';
import { endToEnd, upstreamHeaders } from './forwarded-headers.js';
import type { Endpoint, LiveEndpoint, MemoryRouteTable } from './route-table.js';

export interface RouterOptions {
  table: MemoryRouteTable;
  domain: string;
  logs: LogSink;
  /** The port clients reach the router on, for X-Forwarded-Port. */
  publicPort: () => number;
  requestTimeoutMs: number;
}

/** `hello.localhost:5000` -> `hello` when the domain is `localhost`; case and a trailing dot do not matter. */
export function appFromHost(host: string | undefined, domain: string): string | null {
  if (!host) return null;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${domain}`;
  if (!name.endsWith(suffix)) return null;
  const app = name.slice(0, -suffix.length);
  return app.length > 0 && !app.includes('.') ? app : null;
}

/** The HTTP edge: routes by Host to an app's ready web processes over kept-alive connections. */
export function createRouter(options: RouterOptions): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 60_000 });
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => route(options, agent, req, res));
  server.on('close', () => agent.destroy());
  return server;
}

function route(options: RouterOptions, agent: Agent, req: IncomingMessage, res: ServerResponse): void {
  const app = appFromHost(req.headers.host, options.domain);
  const fail = (error: RouterError) => sendRouterError(res, error, req.headers.accept);
  if (app === null) return fail(routerErrors.noApp(req.headers.host ?? '(no Host header)'));
  const lookup = options.table.lookup(app);
  if (lookup.kind === 'no-app') return fail(routerErrors.noApp(req.headers.host ?? app));
  if (lookup.kind === 'no-process') {
    logRequest(options, app, req, null, 503, 0, Date.now(), 'H14');
    return fail(routerErrors.noProcess(app));
  }
  forward(options, agent, app, lookup.endpoint, req, res, true);
}

function forward(options: RouterOptions, agent: Agent, app: string, endpoint: LiveEndpoint, req: IncomingMessage, res: ServerResponse, mayRetry: boolean): void {
  const started = Date.now();
  const finish = options.table.begin(endpoint);
  res.on('close', finish);
  const { headers, requestId } = upstreamHeaders(req, options.publicPort());
  let bytes = 0;
  let answered = false;
  const upstream = httpRequest({ host: '127.0.0.1', port: endpoint.port, method: req.method, path: req.url, headers, agent }, (upstreamRes) => {
    answered = true;
    clearTimeout(timer);
    res.writeHead(upstreamRes.statusCode ?? 502, { ...endToEnd(upstreamRes.headers), 'x-request-id': requestId });
    upstreamRes.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    upstreamRes.pipe(res);
    upstreamRes.on('end', () => logRequest(options, app, req, endpoint, upstreamRes.statusCode ?? 0, bytes, started, null, requestId));
    upstreamRes.on('error', () => res.destroy());
  });
  const timer = setTimeout(() => {
    upstream.destroy();
    if (!answered) {
      logRequest(options, app, req, endpoint, 503, 0, started, 'H12', requestId);
      sendRouterError(res, routerErrors.timeout(app, options.requestTimeoutMs / 1000), req.headers.accept);
    }
  }, options.requestTimeoutMs);
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    if (answered) return res.destroy();
    // A connection that was refused carried no byte of the request: safe to try another process once.
    if (mayRetry && error.code === 'ECONNREFUSED') {
      const retry = options.table.lookup(app, endpoint.id);
      if (retry.kind === 'endpoint') {
        finish();
        return forward(options, agent, app, retry.endpoint, req, res, false);
      }
    }
    logRequest(options, app, req, endpoint, 502, 0, started, 'H13', requestId);
    sendRouterError(res, routerErrors.upstreamFailed(app), req.headers.accept);
  });
  req.on('aborted', () => upstream.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function logRequest(
  options: RouterOptions,
  app: string,
  req: IncomingMessage,
  endpoint: Endpoint | null,
  status: number,
  bytes: number,
  started: number,
  code: string | null,
  requestId = '',
): void {
  const fields = [
    code ? `at=error code=${code}` : 'at=info',
    `method=${req.method}`,
    `path=${JSON.stringify(req.url ?? '')}`,
    `host=${req.headers.host ?? ''}`,
    `request_id=${requestId}`,
    `fwd=${JSON.stringify(req.socket.remoteAddress ?? '')}`,
    `process=${endpoint?.process ?? 'none'}`,
    `service=${Date.now() - started}ms`,
    `status=${status}`,
    `bytes=${bytes}`,
    'protocol=http',
  ];
  options.logs.append({ app, source: 'router', process: 'router', message: fields.join(' ') });
}
