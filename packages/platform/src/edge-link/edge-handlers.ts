import type { WebSocket } from 'ws';
import type { SeriesQuery } from '../core/ports/metrics-series.js';
import type { RunTarget } from '../core/ports/runtime.js';
import type { EdgeServices } from './edge-services.js';
import { toWireError, type CallMessage, type ResultMessage } from './protocol.js';

type Handler = (params: never, progress: (line: string) => void, gone: AbortSignal) => unknown;

interface AppParams {
  app: string;
}

/**
 * The methods of the edge-link protocol, each run on an EdgeServices: the edge's own (EdgeServer
 * in the edge process) or the edge a runtime leader drives (its relay, cluster/relay-server.ts).
 */
export class EdgeHandlers {
  private readonly handlers: Record<string, Handler>;

  constructor(services: EdgeServices) {
    this.handlers = handlersFor(services);
  }

  /** Runs one call or notice from `ws`; a call is answered on it (when it is still open). */
  async call(ws: WebSocket, message: CallMessage, gone: AbortSignal): Promise<void> {
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

  /** Answers a call with `error` without running it (a notice is dropped). */
  refuse(ws: WebSocket, message: CallMessage, error: unknown): void {
    if (message.id !== undefined && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: message.id, error: toWireError(error) }));
  }
}

/** The RunTarget a message carries (converge, rollout), whose slug must be on this host before it runs. */
export function targetOf(message: CallMessage): RunTarget | null {
  if (message.method !== 'converge' && message.method !== 'rollout') return null;
  return (message.params as { target?: RunTarget | null }).target ?? null;
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
