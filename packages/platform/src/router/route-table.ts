import type { RouteTable } from '../shared-ports/route-table.js';

export interface Endpoint {
  id: string;
  process: string;
  /** The address it listens on (its app's own network), else the router's upstream host. */
  host?: string;
  port: number;
}

/** Idle kept-alive connections to one endpoint; the router owns them, the table closes them. */
export interface EndpointPool {
  closeIdle(): void;
}

/** An endpoint as the router uses it: with what is in flight to it. */
export interface LiveEndpoint extends Endpoint {
  /** HTTP requests in flight (what least-outstanding-requests balances, and what a drain waits for). */
  inflight: number;
  /** Open tunnels (WebSockets): not waited for by a drain, they end when the process stops. */
  tunnels: number;
  /** Out of rotation: connections to it are no longer kept alive. */
  removed: boolean;
  pool: EndpointPool | null;
  /** Called when `inflight` drops to 0 while the endpoint drains. */
  onIdle: (() => void) | null;
}

/** Why a request has nowhere to go. */
export type RouteMiss = 'no-app' | 'no-process' | 'crashed';

interface AppRoutes {
  endpoints: LiveEndpoint[];
  next: number;
  /** The last web process left by a crash (removeEndpoint), not by a planned stop (drain). */
  crashed: boolean;
}

/**
 * Where each app's ready web processes listen. The runtime writes it; the router reads it on
 * every request, so a pick is a map get and a scan of the app's few endpoints.
 */
export class MemoryRouteTable implements RouteTable {
  private readonly apps = new Map<string, AppRoutes>();

  declareApp(app: string): void {
    if (!this.apps.has(app)) this.apps.set(app, { endpoints: [], next: 0, crashed: false });
  }

  removeApp(app: string): void {
    const routes = this.apps.get(app);
    if (!routes) return;
    for (const endpoint of routes.endpoints) retire(endpoint);
    this.apps.delete(app);
  }

  addEndpoint(app: string, endpoint: Endpoint): void {
    this.declareApp(app);
    const routes = this.apps.get(app) as AppRoutes;
    const live: LiveEndpoint = { ...endpoint, inflight: 0, tunnels: 0, removed: false, pool: null, onIdle: null };
    for (const old of routes.endpoints) if (old.id === endpoint.id) retire(old);
    routes.endpoints = [...routes.endpoints.filter((e) => e.id !== endpoint.id), live];
    routes.crashed = false;
  }

  /** A crash: out at once. When no process is left, requests get H10 (app crashed), not H14. */
  removeEndpoint(app: string, id: string): void {
    const routes = this.apps.get(app);
    this.take(app, id);
    if (routes && routes.endpoints.length === 0) routes.crashed = true;
  }

  drain(app: string, id: string, timeoutMs: number): Promise<void> {
    const endpoint = this.take(app, id);
    const routes = this.apps.get(app);
    if (routes && routes.endpoints.length === 0) routes.crashed = false;
    if (!endpoint || endpoint.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        endpoint!.onIdle = null;
        resolve();
      }
      endpoint.onIdle = done;
    });
  }

  /** Marks a request to `endpoint` as started; the returned function marks it finished (once). */
  begin(endpoint: LiveEndpoint): () => void {
    endpoint.inflight += 1;
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      finish(endpoint);
    };
  }

  /**
   * Least outstanding requests, ties broken round-robin: a process busy with slow requests gets
   * fewer new ones, and equal processes share evenly. `exclude` skips a process that just failed.
   */
  pick(app: string, exclude?: LiveEndpoint): LiveEndpoint | RouteMiss {
    const routes = this.apps.get(app);
    if (!routes) return 'no-app';
    const endpoints = routes.endpoints;
    const n = endpoints.length;
    if (n === 1 && endpoints[0] !== exclude) return endpoints[0] as LiveEndpoint;
    let best: LiveEndpoint | null = null;
    const start = routes.next++ % Math.max(n, 1);
    for (let k = 0; k < n; k++) {
      const e = endpoints[(start + k) % n] as LiveEndpoint;
      if (e !== exclude && (best === null || e.inflight < best.inflight)) best = e;
    }
    if (best !== null) return best;
    return routes.crashed ? 'crashed' : 'no-process';
  }

  /** The endpoints of an app, for tests and metrics. */
  endpoints(app: string): readonly LiveEndpoint[] {
    return this.apps.get(app)?.endpoints ?? [];
  }

  private take(app: string, id: string): LiveEndpoint | undefined {
    const routes = this.apps.get(app);
    const endpoint = routes?.endpoints.find((e) => e.id === id);
    if (routes && endpoint) {
      routes.endpoints = routes.endpoints.filter((e) => e !== endpoint);
      retire(endpoint);
    }
    return endpoint;
  }
}

/** Ends one request to `endpoint` (the hot path calls this directly, without a closure). */
export function finish(endpoint: LiveEndpoint): void {
  endpoint.inflight -= 1;
  if (endpoint.inflight === 0) endpoint.onIdle?.();
}

function retire(endpoint: LiveEndpoint): void {
  endpoint.removed = true;
  endpoint.pool?.closeIdle();
}
