import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SeriesQuery } from '../core/ports/metrics-series.js';
import type { RunTarget } from '../core/ports/runtime.js';
import type { EdgeServices } from './edge-services.js';
import type { LogForwarder } from './log-forwarder.js';
import type { EvidenceForwarder } from './evidence-forwarder.js';
import { encodeLogBatch } from './log-batch.js';
import { serveOneOff } from './one-off-server.js';
import { CONTROL_PATH, ONE_OFF_PATH, toWireError, type CallMessage, type ResultMessage } from './protocol.js';

type Handler = (params: never, progress: (line: string) => void, gone: AbortSignal) => unknown;

/**
 * The edge's side of the link: one control connection at a time (a newer one replaces an older,
 * e.g. after the control plane was killed), plus one connection per one-off process. Calls run
 * the EdgeServices; log lines wait in the forwarder while no control plane is connected.
 */
export class EdgeServer {
  private readonly http: Server = createServer((_request, response) => response.writeHead(426).end());
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private control: WebSocket | null = null;
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly services: EdgeServices,
    private readonly forwarder: LogForwarder,
    private readonly onControl: (connected: boolean) => void = () => undefined,
    private readonly evidence: EvidenceForwarder | null = null,
  ) {
    this.handlers = handlersFor(services);
    this.http.on('upgrade', (request, socket, head) => {
      const path = request.url ?? '';
      if (path !== CONTROL_PATH && path !== ONE_OFF_PATH) return socket.destroy();
      this.wss.handleUpgrade(request, socket, head, (ws) => (path === CONTROL_PATH ? this.adopt(ws) : serveOneOff(ws, services.runtime)));
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

  close(): void {
    this.control?.close();
    for (const client of this.wss.clients) client.terminate();
    this.http.close();
  }

  private adopt(ws: WebSocket): void {
    this.control?.close(1000, 'replaced by a newer control plane');
    this.control = ws;
    // Aborted when this connection closes: a rollout it asked for and did not see through is taken back.
    const gone = new AbortController();
    this.forwarder.connect((records) => ws.send(encodeLogBatch(records)));
    this.evidence?.connect((records) => ws.send(JSON.stringify({ event: 'evidence', records })));
    this.onControl(true);
    ws.on('message', (data, binary) => {
      if (!binary) void this.call(ws, JSON.parse(data.toString()) as CallMessage, gone.signal);
    });
    ws.on('close', () => {
      gone.abort();
      if (this.control !== ws) return;
      this.control = null;
      this.forwarder.disconnect();
      this.evidence?.disconnect();
      this.onControl(false);
    });
  }

  private async call(ws: WebSocket, message: CallMessage, gone: AbortSignal): Promise<void> {
    const { id } = message;
    const progress = (line: string) => ws.send(JSON.stringify({ event: 'progress', id, line }));
    let answer: ResultMessage | null;
    try {
      const handler = this.handlers[message.method];
      // remote-edge.ts recognises this message (an older edge than the control plane).
      if (!handler) throw new Error(`The edge has no method ${message.method}`);
      const result = await handler(message.params as never, progress, gone);
      answer = id === undefined ? null : { id, result: result ?? null };
    } catch (error) {
      answer = id === undefined ? null : { id, error: toWireError(error) };
    }
    if (answer !== null && ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer));
  }
}

interface AppParams {
  app: string;
}

function handlersFor(services: EdgeServices): Record<string, Handler> {
  const { runtime, domains, tls, metrics } = services;
  return {
    hello: () => services.hello(),
    converge: ({ app, target }: AppParams & { target: RunTarget | null }) => runtime.converge(app, target),
    rollout: ({ target }: { target: RunTarget }, progress, gone) => runtime.rollout(target, progress, gone),
    restart: ({ app, selector }: AppParams & { selector?: string }) => runtime.restart(app, selector),
    stop: ({ app, process }: AppParams & { process: string }) => runtime.stop(app, process),
    list: ({ app }: AppParams) => runtime.list(app),
    observe: ({ app }: AppParams) => runtime.observe(app),
    remove: ({ app }: AppParams) => runtime.remove(app),
    setDomains: ({ app, hostnames }: AppParams & { hostnames: string[] }) => domains.setDomains(app, hostnames),
    setMaintenance: ({ app, on }: AppParams & { on: boolean }) => domains.setMaintenance(app, on === true),
    setCertificates: ({ app, certificates }: AppParams & { certificates: never }) => tls.setCertificates(app, certificates),
    setHttpsPolicy: ({ app, policy }: AppParams & { policy: never }) => tls.setHttpsPolicy(app, policy),
    setChallenge: ({ token, keyAuthorization }: { token: string; keyAuthorization: string }) => tls.setChallenge(token, keyAuthorization),
    removeChallenge: ({ token }: { token: string }) => tls.removeChallenge(token),
    setApiEndpoint: ({ endpoint }: { endpoint: never }) => services.setApiEndpoint(endpoint),
    metrics: () => metrics.collect(),
    series: ({ app, query }: AppParams & { query: SeriesQuery }) => services.series.series(app, query),
    stopApps: () => services.stopApps(),
  };
}
