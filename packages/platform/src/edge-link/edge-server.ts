import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RunTarget } from '../core/ports/runtime.js';
import type { EdgeServices } from './edge-services.js';
import type { LogForwarder } from './log-forwarder.js';
import type { EvidenceForwarder } from './evidence-forwarder.js';
import { EdgeHandlers, targetOf } from './edge-handlers.js';
import { encodeLogBatch } from './log-batch.js';
import { retryPrepare, targetKey } from './prepare-retry.js';
import { serveOneOff } from './one-off-server.js';
import { CONTROL_PATH, ONE_OFF_PATH, REPLACED, type CallMessage } from './protocol.js';

export interface EdgeServerOptions {
  /** The edge's log lines, sent to the control connection (none: a relay, whose leader keeps them). */
  forwarder?: LogForwarder | null;
  evidence?: EvidenceForwarder | null;
  onControl?: (connected: boolean) => void;
  /** Many control connections at once (a runtime leader's relay: one per api); else a newer one replaces the older. */
  many?: boolean;
  /** Whether an upgrade may go on (the relay's cluster token); refused ones are answered 401. */
  authorize?: (request: IncomingMessage) => boolean;
  /**
   * Run before a message carrying a RunTarget (converge, rollout, a one-off's start): e.g. the slug
   * is fetched to this host. Later messages of the same connection wait for it, so order is kept.
   */
  prepare?: (target: RunTarget) => Promise<void>;
  /** A notice whose `prepare` failed (a call's caller hears it as the call's error). */
  onPrepareFailed?: (method: string, error: unknown) => void;
}

/**
 * The edge-link protocol served on an EdgeServices: in the edge process on its Unix socket, one
 * control connection at a time (a newer one replaces an older, e.g. after the control plane was
 * killed), plus one connection per one-off process; log lines wait in the forwarder while no
 * control plane is connected. A runtime leader's relay serves it on TCP to many apis at once.
 */
export class EdgeServer {
  private readonly http: Server = createServer((_request, response) => response.writeHead(426).end());
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private control: WebSocket | null = null;
  private readonly handlers: EdgeHandlers;

  constructor(
    services: EdgeServices,
    private readonly options: EdgeServerOptions = {},
  ) {
    this.handlers = new EdgeHandlers(services);
    const prepare = options.prepare;
    this.http.on('upgrade', (request, socket, head) => {
      const path = request.url ?? '';
      if (path !== CONTROL_PATH && path !== ONE_OFF_PATH) return socket.destroy();
      if (options.authorize && !options.authorize(request)) return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      this.wss.handleUpgrade(request, socket, head, (ws) => (path === CONTROL_PATH ? this.adopt(ws) : serveOneOff(ws, services.runtime, prepare)));
    });
  }

  /** Listens on the Unix socket (owner-only, in the data dir's 0700 `run/`). */
  listen(socketPath: string): Promise<void> {
    rmSync(socketPath, { force: true });
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(socketPath, () => resolve());
    });
  }

  /** Listens on TCP (a relay); resolves with the port (useful when `port` is 0). */
  listenTcp(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve((this.http.address() as AddressInfo).port));
    });
  }

  close(): void {
    this.control?.close();
    for (const client of this.wss.clients) client.terminate();
    this.http.close();
    this.http.closeAllConnections();
  }

  private adopt(ws: WebSocket): void {
    const { forwarder = null, evidence = null, onControl = () => undefined } = this.options;
    if (!this.options.many) {
      this.control?.close(1000, REPLACED);
      this.control = ws;
      forwarder?.connect((records) => ws.send(encodeLogBatch(records)));
      evidence?.connect((records) => ws.send(JSON.stringify({ event: 'evidence', records })));
    }
    // Aborted when this connection closes: a rollout it asked for and did not see through is taken back.
    const gone = new AbortController();
    onControl(true);
    const receive = this.receiver(ws, gone.signal);
    ws.on('message', (data, binary) => {
      if (!binary) receive(JSON.parse(data.toString()) as CallMessage);
    });
    ws.on('close', () => {
      gone.abort();
      if (this.options.many) return onControl(false);
      if (this.control !== ws) return;
      this.control = null;
      forwarder?.disconnect();
      evidence?.disconnect();
      onControl(false);
    });
  }

  /** Messages of one connection run in order of arrival; with `prepare`, one that carries a RunTarget starts once it is done. */
  private receiver(ws: WebSocket, gone: AbortSignal): (message: CallMessage) => void {
    const { prepare, onPrepareFailed = () => undefined } = this.options;
    if (!prepare) return (message) => void this.handlers.call(ws, message, gone);
    let turn: Promise<void> = Promise.resolve();
    // The newest message per app that carries a target: a retried notice runs only while it is that one.
    const latest = new Map<string, CallMessage>();
    return (message) => {
      const target = targetOf(message);
      const key = targetKey(message.method, message.params);
      if (key !== null) latest.set(key, message);
      turn = turn.then(async () => {
        try {
          if (target !== null) await prepare(target);
        } catch (error) {
          if (message.id === undefined) {
            onPrepareFailed(message.method, error);
            const wanted = () => key !== null && latest.get(key) === message;
            void retryPrepare({ prepare: () => prepare(target as RunTarget), wanted, signal: gone }).then(async (ok) => {
              if (ok) await this.handlers.call(ws, message, gone);
            });
          }
          return this.handlers.refuse(ws, message, error);
        }
        // Started, not awaited: a long rollout does not hold back the calls after it.
        void this.handlers.call(ws, message, gone);
      });
    };
  }
}
