import type { Socket } from 'node:net';
import type { RequestHead } from './request-head.js';
import type { RouterError } from './error-page.js';
import type { RouterContext } from './router-context.js';
import type { UpstreamConnection } from './upstream.js';

/** The client connection as an exchange sees it. */
export interface ClientSide {
  readonly socket: Socket;
  readonly peer: string;
  readonly trusted: boolean;
  /** X-Forwarded-* lines for this client when it is not a trusted proxy (computed once). */
  readonly forwarding: string | null;
  readonly proto: string;
  readonly halfClosed: boolean;
  enterBody(): void;
  inBody(): boolean;
  enterWait(responseStarted: boolean, now: number): void;
  enterResponse(now: number): void;
  enterTunnel(): void;
  touch(): void;
  waitFor(upstream: Socket): void;
  onExchangeDone(close: boolean, now: number): void;
}

/** The exchange as its response relay sees it. */
export interface ExchangeSide {
  readonly head: RequestHead;
  readonly ctx: RouterContext;
  readonly client: ClientSide;
  readonly app: string;
  readonly bodyDone: boolean;
  /** The Strict-Transport-Security line the client's response gets, or ''. */
  readonly hsts: string;
  upstream: UpstreamConnection | null;
  finishWith(error: RouterError, code: string, close: boolean): void;
  complete(status: number, code: string, now: number): void;
  openTunnel(): void;
  closeTunnel(): void;
}
