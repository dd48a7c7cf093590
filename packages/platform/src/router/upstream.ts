import { connect, type Socket } from 'node:net';
import type { EndpointPool, LiveEndpoint } from './route-table.js';

/** Who receives what an upstream connection reads. */
export interface UpstreamListener {
  /** `buf[0, n)` is valid only during the call; return false to stop reading until `resume()`. */
  onUpstreamData(buf: Buffer, n: number): boolean;
  onUpstreamEnd(): void;
  /** `beforeConnect`: the connection never opened, so no byte of the request reached the app. */
  onUpstreamError(code: string, beforeConnect: boolean): void;
}

export interface UpstreamOptions {
  host: string;
  /** Idle kept-alive connections kept per endpoint; more are closed. */
  maxIdle: number;
  /** An idle connection is closed after this long: below the keep-alive timeout of common app servers (Node.js: 5 s). */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Per connection: reads land in its own buffer, so no Buffer is allocated per read. */
const READ_BUFFER_BYTES = 16 * 1024;

/** One TCP connection from the router to an app process, reused across requests. */
export class UpstreamConnection {
  readonly socket: Socket;
  listener: UpstreamListener | null = null;
  connected = false;
  /** When it went idle (pooled), or when it started connecting. */
  since: number;
  private ended = false;

  constructor(
    readonly endpoint: LiveEndpoint,
    private readonly pool: UpstreamPool,
    now: number,
  ) {
    this.since = now;
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    this.socket = connect({ host: endpoint.host ?? pool.options.host, port: endpoint.port, noDelay: true, onread: { buffer, callback: (n: number, buf: Buffer) => this.onRead(n, buf) } });
    this.socket.on('connect', () => {
      this.connected = true;
      this.pool.connecting.delete(this);
    });
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.onError(error.code ?? 'ERROR'));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.onClose());
  }

  private onRead(n: number, buf: Buffer): boolean {
    const listener = this.listener;
    if (listener === null) {
      // An idle connection has nothing to say: whatever it sends cannot belong to a request.
      this.destroy();
      return false;
    }
    return listener.onUpstreamData(buf, n);
  }

  private onEnd(): void {
    this.ended = true;
    const listener = this.listener;
    if (listener === null) this.destroy();
    else listener.onUpstreamEnd();
  }

  private onError(code: string): void {
    const listener = this.listener;
    this.listener = null;
    listener?.onUpstreamError(code, !this.connected);
  }

  private onClose(): void {
    this.pool.forget(this);
    const listener = this.listener;
    this.listener = null;
    if (listener !== null && !this.ended) listener.onUpstreamError('ECONNRESET', !this.connected);
    else if (listener !== null) listener.onUpstreamEnd();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.listener = null;
    this.socket.destroy();
  }
}

/** Idle connections of one endpoint. */
class EndpointIdle implements EndpointPool {
  readonly idle: UpstreamConnection[] = [];

  constructor(readonly endpoint: LiveEndpoint) {}

  closeIdle(): void {
    for (const connection of this.idle.splice(0)) connection.destroy();
  }
}

/**
 * Kept-alive connections to app processes: at most `maxIdle` idle per endpoint (most recently
 * used first), closed after `idleTimeoutMs`; connections in use never outnumber client
 * connections, which the router bounds.
 */
export class UpstreamPool {
  readonly connecting = new Set<UpstreamConnection>();
  private readonly endpoints = new Set<EndpointIdle>();

  constructor(readonly options: UpstreamOptions) {}

  acquire(endpoint: LiveEndpoint, listener: UpstreamListener, now: number): UpstreamConnection {
    const pool = endpoint.pool as EndpointIdle | null;
    const reused = pool?.idle.pop();
    if (reused !== undefined) {
      reused.listener = listener;
      return reused;
    }
    const connection = new UpstreamConnection(endpoint, this, now);
    connection.listener = listener;
    this.connecting.add(connection);
    return connection;
  }

  /** Back to the pool after a complete exchange, or closed when it cannot be reused. */
  release(connection: UpstreamConnection, now: number): void {
    connection.listener = null;
    const endpoint = connection.endpoint;
    let pool = endpoint.pool as EndpointIdle | null;
    if (pool === null) {
      pool = new EndpointIdle(endpoint);
      endpoint.pool = pool;
      this.endpoints.add(pool);
    }
    if (endpoint.removed || pool.idle.length >= this.options.maxIdle || connection.socket.destroyed) {
      connection.destroy();
      return;
    }
    connection.since = now;
    pool.idle.push(connection);
  }

  forget(connection: UpstreamConnection): void {
    this.connecting.delete(connection);
    const pool = connection.endpoint.pool as EndpointIdle | null;
    if (pool === null) return;
    const at = pool.idle.indexOf(connection);
    if (at >= 0) pool.idle.splice(at, 1);
    if (connection.endpoint.removed && pool.idle.length === 0) this.endpoints.delete(pool);
  }

  /** Closes idle connections past their time and connections that take too long to open. */
  sweep(now: number): void {
    for (const pool of this.endpoints) {
      if (pool.endpoint.removed && pool.idle.length === 0) this.endpoints.delete(pool);
      // The oldest idle connections are at the bottom of the stack.
      while (pool.idle.length > 0 && now - (pool.idle[0] as UpstreamConnection).since > this.options.idleTimeoutMs) (pool.idle.shift() as UpstreamConnection).destroy();
    }
    for (const connection of this.connecting) {
      if (now - connection.since > this.options.connectTimeoutMs) {
        this.connecting.delete(connection);
        const listener = connection.listener;
        connection.destroy();
        listener?.onUpstreamError('ETIMEDOUT', true);
      }
    }
  }

  closeAll(): void {
    for (const pool of this.endpoints) pool.closeIdle();
    for (const connection of this.connecting) connection.destroy();
  }
}
