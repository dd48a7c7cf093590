import type { RouteTable } from '../core/ports.js';

export interface Endpoint {
  id: string;
  process: string;
  port: number;
}

interface AppRoutes {
  endpoints: Endpoint[];
  next: number;
}

export type Lookup = { kind: 'no-app' } | { kind: 'no-process' } | { kind: 'endpoint'; endpoint: Endpoint };

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
    routes.endpoints = [...routes.endpoints.filter((e) => e.id !== endpoint.id), endpoint];
  }

  removeEndpoint(app: string, id: string): void {
    const routes = this.apps.get(app);
    if (routes) routes.endpoints = routes.endpoints.filter((e) => e.id !== id);
  }

  /** Round-robin: with equal processes and short requests it spreads load evenly at no cost. */
  lookup(app: string, exclude?: string): Lookup {
    const routes = this.apps.get(app);
    if (!routes) return { kind: 'no-app' };
    const candidates = exclude === undefined ? routes.endpoints : routes.endpoints.filter((e) => e.id !== exclude);
    if (candidates.length === 0) return { kind: 'no-process' };
    routes.next = (routes.next + 1) % candidates.length;
    return { kind: 'endpoint', endpoint: candidates[routes.next] as Endpoint };
  }
}
