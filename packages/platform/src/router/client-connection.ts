import type { Socket } from 'node:net';
import { errorResponse, routerErrors } from './error-page.js';
import { Exchange } from './exchange.js';
import { forwardingLines } from './head-writer.js';
import { CR, LF } from './http-syntax.js';
import { HeadError, parseRequestHead } from './request-head.js';
import { requestLinePrefixError } from './request-line-prefix.js';
import type { ClientSide } from './exchange-parts.js';
import { isPlatformSite, LINGER_MS, PLATFORM_SITE_FIRST_BYTE_MS, type OpenConnection, type RouterContext } from './router-context.js';

const HEAD = 0;
const BODY = 1;
const WAIT = 2;
const TUNNEL = 3;
const LINGER = 4;
const CLOSED = 5;

/** What happens when `deadline` passes. */
const T_KEEPALIVE = 0;
const T_HEAD = 1;
const T_FIRST_BYTE = 2;
const T_IDLE = 3;
const T_LINGER = 4;

/**
 * One client connection: reads request heads (pipelined ones in order), hands each to an
 * Exchange, and keeps the one deadline that applies to where the connection is.
 */
export class ClientConnection implements ClientSide, OpenConnection {
  private state = HEAD;
  /** Bytes read but not used yet: a partial head, or the next pipelined request. */
  private pending: Buffer | null = null;
  private exchange: Exchange | null = null;
  private reading = false;
  deadline: number;
  private timer = T_KEEPALIVE;
  readonly peer: string;
  readonly trusted: boolean;
  readonly forwarding: string | null;
  readonly proto: string;
  /** The client shut its side (it may still read our answer). */
  halfClosed = false;

  constructor(
    readonly socket: Socket,
    private readonly ctx: RouterContext,
    now: number,
  ) {
    this.peer = plainAddress(socket.remoteAddress ?? '');
    this.trusted = ctx.isTrusted(this.peer);
    this.proto = ctx.proto;
    this.forwarding = this.trusted ? null : forwardingLines(this.peer, ctx.port(), ctx.proto);
    this.deadline = now + ctx.limits.headTimeoutMs;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    switch (this.state) {
      case HEAD:
        this.readHeads(chunk);
        return;
      case BODY: {
        this.touch();
        const used = (this.exchange as Exchange).onClientBody(chunk);
        if (used >= 0 && used < chunk.length && (this.state as number) === WAIT) this.stash(chunk.subarray(used));
        return;
      }
      case TUNNEL:
        (this.exchange as Exchange).onTunnelData(chunk);
        return;
      case WAIT:
        this.stash(chunk);
        return;
      default:
        // Lingering or closed: dropped.
        return;
    }
  }

  private readHeads(chunk: Buffer): void {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    let start = 0;
    this.reading = true;
    try {
      while (this.state === HEAD) {
        while (start + 1 < buf.length && buf[start] === CR && buf[start + 1] === LF) start += 2;
        if (start >= buf.length) return;
        const end = buf.indexOf('\r\n\r\n', start, 'latin1');
        if (end < 0) {
          this.partialHead(buf, start);
          return;
        }
        const head = parseRequestHead(buf, start, end + 4, this.ctx.limits.head);
        if (head instanceof HeadError) return this.refuse(head.status, head.reason);
        const exchange = new Exchange(this, head, this.ctx, Date.now());
        this.exchange = exchange;
        start = exchange.start(buf, end + 4);
        if (start < 0) return;
      }
      if (start < buf.length) this.stash(buf.subarray(start));
    } finally {
      this.reading = false;
    }
  }

  /** An incomplete head: refused as soon as it breaks a limit or a rule, else kept until the rest comes. */
  private partialHead(buf: Buffer, start: number): void {
    const limits = this.ctx.limits.head;
    if (buf.length - start > limits.maxHeadBytes) return this.refuse(431, 'request head too large');
    const firstLf = buf.indexOf(LF, start);
    if (firstLf < 0 && buf.length - start > limits.maxLineBytes) return this.refuse(414, 'request line too long');
    for (let i = buf.indexOf(LF, start); i >= 0; i = buf.indexOf(LF, i + 1)) if (buf[i - 1] !== CR) return this.refuse(400, 'bare LF in the request head');
    const lastLf = buf.lastIndexOf(LF);
    if (buf.length - Math.max(lastLf, start) > limits.maxLineBytes) return this.refuse(firstLf < 0 ? 414 : 431, 'header line too long');
    const notHttp = requestLinePrefixError(buf, start);
    if (notHttp) return this.refuse(notHttp.status, notHttp.reason);
    this.pending = buf.subarray(start);
    if (this.timer !== T_HEAD) this.setDeadline(T_HEAD, this.ctx.limits.headTimeoutMs, Date.now());
  }

  /** A request the router will not route: answered, and the connection closed. */
  private refuse(status: number, reason: string): void {
    this.ctx.metrics.refused++;
    this.socket.write(errorResponse(routerErrors.refused(status, reason), { json: false, close: true }));
    this.linger();
  }

  private stash(bytes: Buffer): void {
    this.pending = this.pending === null ? bytes : Buffer.concat([this.pending, bytes]);
    // Pipelined bytes wait for the current response; the socket is not read meanwhile.
    this.socket.pause();
  }

  enterBody(): void {
    this.state = BODY;
    this.setDeadline(T_IDLE, this.ctx.limits.idleTimeoutMs, Date.now());
  }

  inBody(): boolean {
    return this.state === BODY;
  }

  /** The request is fully forwarded: now the response is awaited (H12 clock), unless it already began. */
  enterWait(responseStarted: boolean, now: number): void {
    if (this.state === BODY || this.state === HEAD) this.state = WAIT;
    if (responseStarted) return;
    const platform = this.exchange !== null && isPlatformSite(this.exchange.app);
    this.setDeadline(T_FIRST_BYTE, platform ? PLATFORM_SITE_FIRST_BYTE_MS : this.ctx.limits.firstByteTimeoutMs, now);
  }

  enterResponse(now: number): void {
    this.setDeadline(T_IDLE, this.ctx.limits.idleTimeoutMs, now);
  }

  enterTunnel(): void {
    this.state = TUNNEL;
    this.setDeadline(T_IDLE, this.ctx.limits.idleTimeoutMs, Date.now());
    const early = this.pending;
    this.pending = null;
    if (early !== null) (this.exchange as Exchange).onTunnelData(early);
    this.socket.resume();
  }

  /** Bytes moved: the idle clock starts again. */
  touch(): void {
    this.deadline = Date.now() + this.ctx.limits.idleTimeoutMs;
  }

  /** Stops reading the client until `upstream` has sent what it was given. */
  waitFor(upstream: Socket): void {
    this.socket.pause();
    upstream.once('drain', () => {
      if (this.state === BODY || this.state === TUNNEL) this.socket.resume();
    });
  }

  onExchangeDone(close: boolean, now: number): void {
    this.exchange = null;
    if (this.state === CLOSED || this.socket.destroyed) return;
    if (close || this.halfClosed) {
      this.linger();
      return;
    }
    this.state = HEAD;
    this.setDeadline(T_KEEPALIVE, this.ctx.limits.keepAliveTimeoutMs, now);
    if (this.reading) return;
    const next = this.pending;
    this.pending = null;
    this.socket.resume();
    if (next !== null) this.readHeads(next);
  }

  /** Closes our side and drops what still comes for a moment, so that the client can read our last answer. */
  private linger(): void {
    this.state = LINGER;
    this.pending = null;
    this.socket.end();
    this.socket.resume();
    this.setDeadline(T_LINGER, LINGER_MS, Date.now());
  }

  private setDeadline(kind: number, ms: number, now: number): void {
    this.timer = kind;
    this.deadline = now + ms;
  }

  /** Called by the router's sweep when `deadline` has passed. */
  expire(): void {
    const exchange = this.exchange;
    switch (this.timer) {
      case T_HEAD:
        if (this.state === HEAD && this.pending !== null) return this.refuse(408, `the request head did not arrive within ${this.ctx.limits.headTimeoutMs / 1000} s`);
        break;
      case T_FIRST_BYTE:
        if (exchange !== null) return exchange.relay.timeout('H12');
        break;
      case T_IDLE:
        if (exchange !== null) return exchange.relay.tunnel ? exchange.relay.endTunnel() : exchange.relay.timeout('H15');
        break;
      default:
        break;
    }
    this.socket.destroy();
  }

  private onEnd(): void {
    this.halfClosed = true;
    if (this.state === TUNNEL) {
      (this.exchange as Exchange).upstream?.socket.end();
    } else if (this.state === HEAD || this.state === LINGER) {
      this.socket.destroy();
    } else if (this.state === BODY) {
      this.socket.destroy();
    }
  }

  /** Between requests, with nothing half-read: safe to close at shutdown. */
  isIdle(): boolean {
    return this.state === HEAD && this.pending === null;
  }

  private onClose(): void {
    this.state = CLOSED;
    this.ctx.metrics.connections--;
    this.ctx.connections.delete(this);
    this.exchange?.abortByClient();
    this.exchange = null;
  }
}

/** `::ffff:127.0.0.1` -> `127.0.0.1`. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
