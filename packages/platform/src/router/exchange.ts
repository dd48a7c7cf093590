import { accessLine, describeCode } from './access-log.js';
import { ChunkedFramer } from './chunked-framer.js';
import { errorResponse, routerErrors, type RouterError } from './error-page.js';
import type { ClientSide, ExchangeSide } from './exchange-parts.js';
import { writeRequestHead } from './head-writer.js';
import { isLocalName } from './host-table.js';
import { challengePage, closing, redirectPage } from './https-answers.js';
import type { RequestHead } from './request-head.js';
import { ResponseRelay } from './response-relay.js';
import { finish, type LiveEndpoint } from './route-table.js';
import { isPlatformSite, type RouterContext } from './router-context.js';
import type { AppMetrics } from './router-metrics.js';
import type { UpstreamConnection, UpstreamListener } from './upstream.js';

/**
 * One request and its response. The request side lives here (routing, the upstream head, the
 * body with its framing checked, retries); the response side is the ResponseRelay.
 */
export class Exchange implements UpstreamListener, ExchangeSide {
  app = '';
  endpoint: LiveEndpoint | null = null;
  metrics: AppMetrics | null = null;
  upstream: UpstreamConnection | null = null;
  requestId = '';
  readonly started: number;
  connectedAt = 0;
  /** Request body bytes still to come (Content-Length), or the chunked framer. */
  bodyLeft = 0;
  framer: ChunkedFramer | null = null;
  bodyDone = false;
  /** Bytes not sent yet: a chunked body's head waits until its first chunk size is checked. */
  held: Buffer[] | null = null;
  /** Bytes written before the connection opened: replayed if it never does (the one retry). */
  replay: Buffer[] | null = null;
  retried = false;
  readonly relay: ResponseRelay;
  done = false;
  hsts = '';

  constructor(
    readonly client: ClientSide,
    readonly head: RequestHead,
    readonly ctx: RouterContext,
    now: number,
  ) {
    this.started = now;
    this.relay = new ResponseRelay(this);
  }

  /** Routes the request and forwards what `buf[from..]` holds of it; returns the index after the request's last byte there. */
  start(buf: Buffer, from: number): number {
    const head = this.head;
    if (this.ctx.tls.challenges.size > 0) {
      const page = challengePage(this.ctx, head);
      if (page !== null) return this.answerSelf(200, page, '', from);
    }
    const app = head.host === null ? '' : this.ctx.hosts.resolve(head.host);
    if (app === '') return this.answer(routerErrors.noApp(head.host ?? ''), '', buf, from);
    const policy = this.ctx.tls.policy(app);
    if (policy !== undefined && !isLocalName(head.host as string)) {
      if (this.ctx.proto === 'https') this.hsts = policy.hsts;
      else if (policy.redirect) {
        const page = redirectPage(this.ctx, head);
        if (page !== null) return this.answerSelf(308, page, app, from);
      }
    }
    const maintenance = this.ctx.hosts.maintenance;
    if (maintenance.size > 0 && maintenance.has(app)) return this.answer(routerErrors.maintenance(app), app, buf, from);
    const picked = this.ctx.table.pick(app);
    if (typeof picked === 'string') {
      if (picked === 'no-app') return this.answer(routerErrors.noApp(head.host ?? ''), '', buf, from);
      return this.answer(picked === 'crashed' ? routerErrors.crashed(app) : routerErrors.noProcess(app), app, buf, from);
    }
    this.app = app;
    this.metrics = this.ctx.metrics.app(app);
    this.metrics.open++;
    this.requestId = head.requestId ?? this.ctx.newRequestId();
    this.bind(picked, this.started);
    const out = writeRequestHead(head, this.client, this.ctx.port(), this.requestId);
    if (head.body === 'none') {
      this.send(out);
      this.requestDone(this.started);
      return from;
    }
    if (head.body === 'length') return this.startLengthBody(out, buf, from);
    this.framer = new ChunkedFramer();
    if (head.expectContinue) this.send(out);
    else this.held = [out];
    return this.chunkedBody(buf, from);
  }

  private startLengthBody(out: Buffer, buf: Buffer, from: number): number {
    const take = Math.min(this.head.contentLength, buf.length - from);
    // Head and the first body bytes in one write (one syscall for a small POST).
    this.send(take === 0 ? out : Buffer.concat([out, buf.subarray(from, from + take)]));
    this.bodyLeft = this.head.contentLength - take;
    if (this.bodyLeft === 0) {
      this.requestDone(this.started);
    } else {
      this.client.enterBody();
    }
    return from + take;
  }

  /** More request body from the client; returns the index after the body's last byte in `chunk`. */
  onClientBody(chunk: Buffer): number {
    if (this.framer !== null) return this.chunkedBody(chunk, 0);
    const take = Math.min(this.bodyLeft, chunk.length);
    this.send(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.bodyLeft -= take;
    if (this.bodyLeft === 0) this.requestDone(Date.now());
    return take;
  }

  private chunkedBody(buf: Buffer, from: number): number {
    const framer = this.framer as ChunkedFramer;
    const end = framer.feed(buf, from, buf.length);
    if (end < 0) {
      this.refuseBody(framer.error);
      return -1;
    }
    if (end > from) this.sendBody(buf.subarray(from, end), framer);
    if (framer.done) this.requestDone(Date.now());
    else if (!this.client.inBody()) this.client.enterBody();
    return end;
  }

  private sendBody(bytes: Buffer, framer: ChunkedFramer): void {
    if (this.held === null) {
      this.send(bytes);
      return;
    }
    this.held.push(bytes);
    // Once the first chunk size is known to be well-formed, the app may see the request.
    if (framer.started) {
      const held = this.held;
      this.held = null;
      this.send(Buffer.concat(held));
    }
  }

  /**
   * A request body with broken framing: nothing more reaches the app (the connection to it is cut,
   * so it never sees a complete request), and the client gets a 400.
   */
  private refuseBody(reason: string): void {
    this.held = null;
    this.upstream?.destroy();
    this.upstream = null;
    this.ctx.metrics.refused++;
    this.finishWith(routerErrors.refused(400, reason), '', true);
  }

  send(data: Buffer): void {
    const upstream = this.upstream as UpstreamConnection;
    if (!upstream.connected) (this.replay ??= []).push(data);
    if (!upstream.socket.write(data)) this.client.waitFor(upstream.socket);
  }

  private bind(endpoint: LiveEndpoint, now: number): void {
    this.endpoint = endpoint;
    endpoint.inflight++;
    const upstream = this.ctx.upstreams.acquire(endpoint, this, now);
    this.upstream = upstream;
    if (upstream.connected) this.connectedAt = now;
    else upstream.socket.once('connect', () => this.onConnect());
  }

  private onConnect(): void {
    this.connectedAt = Date.now();
    this.replay = null;
  }

  private requestDone(now: number): void {
    this.bodyDone = true;
    if (!this.done) this.client.enterWait(this.relay.started, now);
  }

  onUpstreamData(buf: Buffer, n: number): boolean {
    return this.relay.onData(buf, n);
  }

  onUpstreamEnd(): void {
    this.relay.onEnd();
  }

  onUpstreamError(code: string, beforeConnect: boolean): void {
    if (this.done) return;
    if (beforeConnect && !this.retried && this.retry()) return;
    this.upstream = null;
    if (this.relay.tunnel) {
      this.relay.endTunnel();
      return;
    }
    this.relay.fail(beforeConnect ? `refused the connection (${code})` : `closed the connection without answering (${code})`);
  }

  /** A connection that never opened carried nothing: try another process once. */
  private retry(): boolean {
    this.retried = true;
    const next = this.ctx.table.pick(this.app, this.endpoint ?? undefined);
    if (typeof next === 'string') return false;
    const replay = this.replay ?? [];
    this.replay = null;
    this.upstream?.destroy();
    finish(this.endpoint as LiveEndpoint);
    this.bind(next, Date.now());
    for (const data of replay) this.send(data);
    return true;
  }

  /** The client went away before the response ended: the request to the app is aborted too. */
  abortByClient(): void {
    if (this.done) return;
    this.upstream?.destroy();
    this.upstream = null;
    if (this.relay.tunnel) {
      this.relay.endTunnel();
      return;
    }
    this.complete(499, 'H27', Date.now());
  }

  /** The upgrade request is over (logged as 101); the tunnel counts apart, and a drain does not wait for it. */
  openTunnel(): void {
    const endpoint = this.endpoint as LiveEndpoint;
    endpoint.tunnels++;
    finish(endpoint);
    this.log(101, '', Date.now());
    this.client.enterTunnel();
  }

  /** Bytes from the client into the tunnel. */
  onTunnelData(chunk: Buffer): void {
    this.client.touch();
    const upstream = this.upstream;
    if (upstream !== null && !upstream.socket.write(chunk)) this.client.waitFor(upstream.socket);
  }

  closeTunnel(): void {
    if (this.done) return;
    this.done = true;
    (this.endpoint as LiveEndpoint).tunnels--;
    if (this.metrics !== null) this.metrics.open--;
    this.upstream?.destroy();
    this.upstream = null;
    this.client.socket.destroy();
  }

  /** An answer of the router's own that is not an error (an ACME challenge, a redirect); the request never reaches an app. */
  private answerSelf(status: number, page: Buffer, app: string, from: number): number {
    this.app = app;
    if (app !== '') this.metrics = this.ctx.metrics.app(app);
    const close = !this.head.keepAlive || this.head.body !== 'none' || this.head.upgrade !== null;
    this.relay.bytes = page.length;
    this.client.socket.write(close ? closing(page) : page);
    this.relay.closeClient = close;
    this.complete(status, '', Date.now());
    return close ? -1 : from;
  }

  /** Answers on the router's behalf; the request itself never reaches an app. */
  private answer(error: RouterError, app: string, buf: Buffer, from: number): number {
    this.app = app;
    if (app !== '') this.metrics = this.ctx.metrics.app(app);
    const close = !this.head.keepAlive || this.head.body !== 'none' || this.head.upgrade !== null;
    this.finishWith(error, app === '' ? '' : error.code, close);
    return close ? -1 : from;
  }

  /** Sends the router's own page (or drops the client when a response has begun) and ends. */
  finishWith(error: RouterError, code: string, close: boolean): void {
    if (this.relay.started) {
      this.client.socket.destroy();
      this.complete(this.relay.status, code, Date.now());
      return;
    }
    const page = errorResponse(error, { json: this.head.wantsJson, close, requestId: this.requestId || undefined, head: this.head.method === 'HEAD' });
    this.relay.bytes = page.length;
    this.client.socket.write(page);
    this.relay.closeClient = close;
    this.complete(error.status, code, Date.now());
  }

  /** Books the request (log line, metrics, in-flight count) and hands the connection back to the client side. */
  complete(status: number, code: string, now: number): void {
    if (this.done) return;
    this.done = true;
    if (this.endpoint !== null) {
      finish(this.endpoint);
      if (this.metrics !== null) this.metrics.open--;
    }
    this.log(status, code, now);
    this.client.onExchangeDone(this.relay.closeClient || !this.bodyDone, now);
  }

  log(status: number, code: string, now: number): void {
    const metrics = this.metrics;
    if (metrics === null) return;
    metrics.observe(status, now - this.started);
    if (code !== '') metrics.error(code);
    const connectedAt = this.connectedAt === 0 ? now : this.connectedAt;
    const message = accessLine({
      code, desc: code === '' ? '' : describeCode(code), method: this.head.method, path: this.head.target, host: this.head.host ?? '', requestId: this.requestId,
      fwd: this.client.peer, process: this.endpoint?.process ?? 'none', connectMs: connectedAt - this.started, serviceMs: now - connectedAt, status, bytes: this.relay.bytes,
      protocol: this.relay.tunnel ? (this.ctx.proto === 'https' ? 'wss' : 'websocket') : this.ctx.proto,
    });
    // The platform's own sites have no log stream: their trail is the audit's.
    if (!isPlatformSite(this.app)) this.ctx.logs.append({ app: this.app, source: 'router', process: 'router', message });
  }
}
