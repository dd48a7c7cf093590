import type { Socket } from 'node:net';
import type { LogSink } from '../core/ports/logs.js';
import type { HostTable } from './host-table.js';
import type { HeadLimits } from './request-head.js';
import type { MemoryRouteTable } from './route-table.js';
import type { RouterMetrics } from './router-metrics.js';
import type { TlsTable } from './tls-table.js';
import type { UpstreamPool } from './upstream.js';

/** Limits and timeouts of the router (Heroku's where Heroku has one); all configurable. */
export interface RouterLimits {
  head: HeadLimits;
  /** A request head must arrive within this long of its first byte (slowloris). */
  headTimeoutMs: number;
  /** An idle kept-alive client connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** From the end of the request to the first byte of the response (H12). */
  firstByteTimeoutMs: number;
  /** No byte either way for this long while a request, response or tunnel streams (H15). */
  idleTimeoutMs: number;
  /** Open client connections; more get a fast 503 and are closed. */
  maxConnections: number;
}

/** What every connection of one router shares. */
export interface RouterContext {
  table: MemoryRouteTable;
  hosts: HostTable;
  upstreams: UpstreamPool;
  metrics: RouterMetrics;
  logs: LogSink;
  limits: RouterLimits;
  /** The public port of the listener the connection came on, for X-Forwarded-Port. */
  port: () => string;
  /** The listener's protocol: X-Forwarded-Proto, the log line, redirects and HSTS. */
  proto: 'http' | 'https';
  /** Certificates and per-app HTTPS policies. */
  tls: TlsTable;
  /** The HTTPS listener's public port as text ('' when it is off), for redirects. */
  httpsPort: () => string;
  isTrusted: (address: string) => boolean;
  newRequestId: () => string;
  /** Open client connections, swept for deadlines. */
  connections: Set<OpenConnection>;
}

/** A client connection as the router's sweep and shutdown see it. */
export interface OpenConnection {
  readonly socket: Socket;
  /** When `expire()` is due (ms since the epoch). */
  deadline: number;
  expire(): void;
  isIdle(): boolean;
}

/** How long a closing connection keeps reading (and dropping) what the client still sends, so it can read our answer. */
export const LINGER_MS = 2000;

/**
 * The platform's own sites (`@api`: DOZEN_API_DOMAIN) are named with a leading `@`, which no app
 * name has. They have no log stream, and no H12: an API request may wait for a release phase and
 * its rollout before it answers (the API's own deadlines apply); the idle timeout (H15) still does.
 */
export function isPlatformSite(app: string): boolean {
  return app.startsWith('@');
}

/** How long a platform site may take to its first byte: the release phase's default limit (1 h) and a rollout. */
export const PLATFORM_SITE_FIRST_BYTE_MS = 2 * 3600 * 1000;
