import { ChunkedFramer } from './chunked-framer.js';
import { routerErrors } from './error-page.js';
import type { ExchangeSide } from './exchange-parts.js';
import { writeResponseHead } from './head-writer.js';
import { parseResponseHead, type ResponseBody, type ResponseHead } from './response-head.js';

const HEAD = 0;
const BODY = 1;
const TUNNEL = 2;
const DONE = 3;

/**
 * The response side of an exchange: reads the app's head strictly, writes the client's head, and
 * relays the body with its framing followed, so the router knows where the response ends and
 * whether the connection can serve another request.
 */
export class ResponseRelay {
  private state = HEAD;
  /** A response head split over reads (copied out of the connection's read buffer). */
  private pending: Buffer | null = null;
  /** A byte of the final response reached the client. */
  started = false;
  status = 0;
  bytes = 0;
  closeClient = false;
  tunnel = false;
  private body: ResponseBody = 'none';
  private left = 0;
  private framer: ChunkedFramer | null = null;
  private reusable = false;
  /** The app's head, turned into the client's together with the first body bytes (one write for a small response). */
  private res: ResponseHead | null = null;
  private decode = false;

  constructor(private readonly x: ExchangeSide) {}

  /** `buf[0, n)` from the app. Returns false to stop reading until the client has taken what was sent. */
  onData(buf: Buffer, n: number): boolean {
    if (this.state === BODY) {
      this.x.client.touch();
      return this.relayBody(buf, 0, n, Date.now());
    }
    if (this.state === HEAD) return this.readHead(buf.subarray(0, n), Date.now());
    if (this.state === TUNNEL) {
      this.x.client.touch();
      return this.emit(buf.subarray(0, n), false);
    }
    return true;
  }

  private readHead(view: Buffer, now: number): boolean {
    let data = view;
    if (this.pending !== null) {
      data = Buffer.concat([this.pending, view]);
      this.pending = null;
    }
    const limits = this.x.ctx.limits.head;
    let start = 0;
    for (;;) {
      const at = data.indexOf('\r\n\r\n', start, 'latin1');
      if (at < 0) {
        if (data.length - start > limits.maxHeadBytes) return this.fail('sent a response head over the size limit');
        this.pending = Buffer.from(data.subarray(start));
        return true;
      }
      const res = parseResponseHead(data, start, at + 4, this.x.head.method, limits);
      if (typeof res === 'string') return this.fail(`answered with ${res}`);
      if (res.status === 101) return this.startTunnel(res, data, at + 4);
      if (res.status >= 200) {
        this.onHead(res, now);
        return this.relayBody(data, at + 4, data.length, now);
      }
      // 100 Continue, 103 Early Hints: passed on to HTTP/1.1 clients, then the real response follows.
      if (!this.x.head.http10) this.write(writeResponseHead(res, false, false));
      start = at + 4;
      if (start === data.length) return true;
    }
  }

  private onHead(res: ResponseHead, now: number): void {
    const x = this.x;
    this.status = res.status;
    this.closeClient = !x.head.keepAlive || res.body === 'close' || !x.bodyDone || x.head.upgrade !== null || x.client.halfClosed;
    this.decode = x.head.http10 && res.body === 'chunked';
    this.body = res.body;
    this.left = res.contentLength;
    this.framer = res.body === 'chunked' ? new ChunkedFramer(this.decode) : null;
    this.reusable = res.reusable;
    this.res = res;
    this.state = BODY;
    x.client.enterResponse(now);
  }

  private relayBody(data: Buffer, from: number, end: number, now: number): boolean {
    switch (this.body) {
      case 'length': {
        const take = Math.min(this.left, end - from);
        this.left -= take;
        if (this.left > 0) return this.emit(data.subarray(from, from + take), false);
        return this.finishBody(data.subarray(from, from + take), from + take < end, now);
      }
      case 'chunked':
        return this.relayChunked(data, from, end, now);
      case 'close':
        return this.emit(data.subarray(from, end), false);
      default:
        return this.finishBody(null, from < end, now);
    }
  }

  private relayChunked(data: Buffer, from: number, end: number, now: number): boolean {
    const framer = this.framer as ChunkedFramer;
    const at = framer.feed(data, from, end);
    if (at < 0) return this.fail(`sent a malformed chunked body (${framer.error})`);
    let bytes = data.subarray(from, at);
    if (framer.data !== null) {
      const ranges = framer.data;
      const parts: Buffer[] = [];
      for (let i = 0; i < ranges.length; i += 2) parts.push(data.subarray(ranges[i] as number, ranges[i + 1] as number));
      bytes = Buffer.concat(parts);
    }
    if (framer.done) return this.finishBody(bytes, at < end, now);
    return this.emit(bytes, false);
  }

  /**
   * Writes to the client. A slice of the connection's read buffer must stay untouched until it is
   * sent, so reading stops while the client lags; the last write of a response is copied instead,
   * because the connection goes back to the pool.
   */
  private emit(bytes: Buffer | null, last: boolean): boolean {
    let data = bytes;
    if (this.res !== null) {
      // The app's head is still in the read buffer: it must become the client's now.
      data = writeResponseHead(this.res, this.closeClient, this.decode, data === null || data.length === 0 ? null : data, this.x.hsts);
      this.res = null;
    } else if (last && data !== null && data.length > 0) {
      data = Buffer.from(data);
    }
    if (data === null || data.length === 0) return true;
    if (this.x.ctx.proto === 'https') return this.emitTls(data, bytes === data && !last, last);
    this.write(data);
    const socket = this.x.client.socket;
    if (last || socket.writableLength === 0) return true;
    socket.once('drain', () => this.x.upstream?.resume());
    return false;
  }

  /**
   * A TLS socket holds every write until its record is sent (writableLength > 0 even when nothing
   * waits), and emits 'drain' only after a write returned false: a slice of the read buffer is
   * copied, and reading stops only when the socket says it is full.
   */
  private emitTls(data: Buffer, isSlice: boolean, last: boolean): boolean {
    this.write(isSlice ? Buffer.from(data) : data);
    const socket = this.x.client.socket;
    if (last || !socket.writableNeedDrain) return true;
    socket.once('drain', () => this.x.upstream?.resume());
    return false;
  }

  private write(data: Buffer): void {
    if (this.state !== HEAD) this.started = true;
    this.bytes += data.length;
    this.x.client.socket.write(data);
  }

  private finishBody(bytes: Buffer | null, extra: boolean, now: number): boolean {
    this.emit(bytes, true);
    this.state = DONE;
    const x = this.x;
    const upstream = x.upstream;
    x.upstream = null;
    // More bytes than the response held: the app and the router disagree, never reuse that connection.
    if (upstream !== null) {
      if (this.reusable && !extra && x.bodyDone && x.head.upgrade === null) x.ctx.upstreams.release(upstream, now);
      else upstream.destroy();
    }
    x.complete(this.status, '', now);
    return true;
  }

  onEnd(): void {
    if (this.state === TUNNEL) {
      this.x.client.socket.end();
    } else if (this.state === BODY && this.body === 'close') {
      this.finishBody(null, false, Date.now());
    } else if (this.state !== DONE) {
      this.fail(this.state === HEAD ? 'closed the connection without answering' : 'closed the connection before the response ended');
    }
  }

  /** The app broke the exchange: a 502 page if the client has seen nothing yet, else the client connection is dropped. */
  fail(why: string): boolean {
    const x = this.x;
    this.state = DONE;
    this.res = null;
    x.upstream?.destroy();
    x.upstream = null;
    x.finishWith(routerErrors.closed(x.app, why), 'H13', true);
    return false;
  }

  /** No first byte in time (H12), or nothing either way while streaming (H15). */
  timeout(code: 'H12' | 'H15'): void {
    const x = this.x;
    this.state = DONE;
    this.res = null;
    x.upstream?.destroy();
    x.upstream = null;
    const error = code === 'H12' ? routerErrors.timeout(x.app, x.ctx.limits.firstByteTimeoutMs / 1000) : routerErrors.idle(x.app, x.ctx.limits.idleTimeoutMs / 1000);
    x.finishWith(error, code, true);
  }

  /** The app accepted an Upgrade: from now on bytes flow both ways untouched. */
  private startTunnel(res: ResponseHead, data: Buffer, headEnd: number): boolean {
    const x = this.x;
    if (x.head.upgrade === null) return this.fail('switched protocols without being asked to');
    this.tunnel = true;
    this.status = 101;
    this.state = TUNNEL;
    this.write(writeResponseHead(res, false, false, headEnd < data.length ? data.subarray(headEnd) : null));
    x.openTunnel();
    return true;
  }

  endTunnel(): void {
    if (this.state !== TUNNEL) return;
    this.state = DONE;
    this.x.closeTunnel();
  }
}
