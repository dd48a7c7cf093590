import { BlockList, createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { LogSink } from '../core/ports/logs.js';
import { ClientConnection } from './client-connection.js';
import { createHttpsListener } from './https-listener.js';
import { errorResponse, routerErrors } from './error-page.js';
import type { HostTable } from './host-table.js';
import type { MemoryRouteTable } from './route-table.js';
import type { RouterContext, RouterLimits } from './router-context.js';
import { requestIds } from './request-id.js';
import { RouterMetrics } from './router-metrics.js';
import { TlsTable } from './tls-table.js';
import { UpstreamPool, type UpstreamOptions } from './upstream.js';

export interface RouterOptions {
  table: MemoryRouteTable;
  hosts: HostTable;
  logs: LogSink;
  metrics?: RouterMetrics;
  /** The port clients reach the router on, for X-Forwarded-Port. */
  publicPort: () => number;
  /** Certificates and HTTPS policies; given, the router also has an HTTPS listener (`httpsServer`). */
  tls?: TlsTable;
  /** The port clients reach the HTTPS listener on (X-Forwarded-Port, redirects). */
  publicHttpsPort?: () => number;
  limits: RouterLimits;
  /** Addresses or CIDR ranges whose X-Forwarded-* headers are believed (a load balancer in front). */
  trustedProxies?: string[];
  upstream?: Partial<UpstreamOptions>;
}

export interface Router {
  server: Server;
  /** The HTTPS listener (same connections, limits and deadlines), when `tls` was given. */
  httpsServer: Server | null;
  metrics: RouterMetrics;
  /** Closes client connections that are between requests (at shutdown, after `server.close()`). */
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

/** Heroku-like defaults: 8 KB lines, 64 KB heads, 30 s to the first byte, 55 s idle. */
export const defaultLimits: RouterLimits = {
  head: { maxLineBytes: 8192, maxHeadBytes: 65536, maxHeaders: 1000 },
  headTimeoutMs: 10_000,
  keepAliveTimeoutMs: 90_000,
  firstByteTimeoutMs: 30_000,
  idleTimeoutMs: 55_000,
  maxConnections: 10_000,
};

/**
 * The HTTP edge: a TCP server that parses HTTP/1.1 itself (strictly), routes by Host to an app's
 * web processes and relays bytes over kept-alive upstream connections. See docs/decisions.md
 * (Router) for why it is not built on node:http.
 */
export function createRouter(options: RouterOptions): Router {
  const metrics = options.metrics ?? new RouterMetrics();
  const limits = options.limits;
  const upstreams = new UpstreamPool({ host: '127.0.0.1', maxIdle: 64, idleTimeoutMs: 4000, connectTimeoutMs: 5000, ...options.upstream });
  const ctx: RouterContext = {
    table: options.table,
    hosts: options.hosts,
    upstreams,
    metrics,
    logs: options.logs,
    limits,
    port: portText(options.publicPort),
    proto: 'http',
    tls: options.tls ?? new TlsTable(),
    httpsPort: options.tls && options.publicHttpsPort ? portText(options.publicHttpsPort) : () => '',
    isTrusted: trustCheck(options.trustedProxies ?? []),
    newRequestId: requestIds(),
    connections: new Set(),
  };
  const overloaded = errorResponse(routerErrors.overloaded(), { json: false, close: true });
  const accept = (socket: Socket, on: RouterContext) => {
    if (on.connections.size >= limits.maxConnections) {
      metrics.rejected++;
      socket.on('error', () => socket.destroy());
      socket.end(overloaded);
      socket.setTimeout(1000, () => socket.destroy());
      return;
    }
    metrics.connections++;
    on.connections.add(new ClientConnection(socket, on, Date.now()));
  };
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket: Socket) => accept(socket, ctx));
  // The HTTPS listener shares everything but its port and protocol (one connection set, one sweep).
  const httpsServer = options.tls && options.publicHttpsPort ? createHttpsListener({ ...ctx, port: portText(options.publicHttpsPort), proto: 'https' }, accept) : null;
  const sweeper = setInterval(() => sweep(ctx), sweepInterval(limits));
  sweeper.unref();
  server.on('close', () => {
    clearInterval(sweeper);
    upstreams.closeAll();
  });
  return {
    server,
    httpsServer,
    metrics,
    closeIdleConnections: () => {
      for (const connection of ctx.connections) if (connection.isIdle()) connection.socket.destroy();
    },
    closeAllConnections: () => {
      for (const connection of ctx.connections) connection.socket.destroy();
      upstreams.closeAll();
    },
  };
}

/** One timer for every deadline: each connection keeps a single `deadline` number. */
function sweep(ctx: RouterContext): void {
  const now = Date.now();
  for (const connection of ctx.connections) if (connection.deadline <= now) connection.expire();
  ctx.upstreams.sweep(now);
}

/** The public port as text, made once it is known (connections exist only after listen). */
function portText(publicPort: () => number): () => string {
  let text = '';
  return () => {
    if (text === '' || text === '0') text = String(publicPort());
    return text;
  };
}

function sweepInterval(limits: RouterLimits): number {
  const shortest = Math.min(limits.headTimeoutMs, limits.keepAliveTimeoutMs, limits.firstByteTimeoutMs, limits.idleTimeoutMs);
  return Math.max(20, Math.min(1000, Math.floor(shortest / 5)));
}

function trustCheck(entries: string[]): (address: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (address) => list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}
