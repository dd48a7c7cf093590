import type { RouteTable } from '../core/ports.js';

export interface Endpoint {
  id: string;
  process: string;
  port: number;
}

/** An endpoint as the router uses it: with the count of requests in flight to it. */
export interface LiveEndpoint extends Endpoint {
  inflight: number;
  /** Called when `inflight` drops to 0 while the endpoint drains. */
  onIdle: (() => void) | null;
}

interface AppRoutes {
  endpoints: LiveEndpoint[];
  next: number;
}

export type Lookup = { kind: 'no-app' } | { kind: 'no-process' } | { kind: 'endpoint'; endpoint: LiveEndpoint };

/**
 * Where each app's ready web processes listen. The runtime writes it, the router reads it on
 * every request: lookups are a map get and an index increment.
 */
export class MemoryRouteTable implements RouteTable {
  private readonly apps = new Map<string, AppRoutes>();

  declareApp(app: string): void {
    if (!this.apps.has(app)) this.apps.set(app, { endpoints: [], next: 0 });
  }

  removeApp(app: string): void {
    this.apps.delete(app);
  }

  addEndpoint(app: string, endpoint: Endpoint): void {
    this.declareApp(app);
    const routes = this.apps.get(app) as AppRoutes;
    const live: LiveEndpoint = { ...endpoint, inflight: 0, onIdle: null };
    routes.endpoints = [...routes.endpoints.filter((e) => e.id !== endpoint.id), live];
  }

  removeEndpoint(app: string, id: string): void {
    this.take(app, id);
  }

  drain(app: string, id: string, timeoutMs: number): Promise<void> {
    const endpoint = this.take(app, id);
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
      endpoint.inflight -= 1;
      if (endpoint.inflight === 0) endpoint.onIdle?.();
    };
  }

  private take(app: string, id: string): LiveEndpoint | undefined {
    const routes = this.apps.get(app);
    const endpoint = routes?.endpoints.find((e) => e.id === id);
    if (routes) routes.endpoints = routes.endpoints.filter((e) => e.id !== id);
    return endpoint;
  }

  /** Round-robin: with equal processes and short requests it spreads load evenly at no cost. */
  lookup(app: string, exclude?: string): Lookup {
    const routes = this.apps.get(app);
    if (!routes) return { kind: 'no-app' };
    const candidates = exclude === undefined ? routes.endpoints : routes.endpoints.filter((e) => e.id !== exclude);
    if (candidates.length === 0) return { kind: 'no-process' };
    routes.next = (routes.next + 1) % candidates.length;
    return { kind: 'endpoint', endpoint: candidates[routes.next] as LiveEndpoint };
  }
}
