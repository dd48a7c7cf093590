import type { DomainRoutes } from '../core/ports/domain-routes.js';
import type { MetricsSeries } from '../core/ports/metrics-series.js';
import type { Runtime } from '../core/ports/runtime.js';
import type { TlsRoutes } from '../core/ports/tls-routes.js';
import type { AcmeChallenges } from '../shared-ports/acme-challenges.js';
import type { MetricsSource } from '../shared-ports/metrics.js';
import type { EdgeHello } from './protocol.js';

/** Where the router sends the API domain's requests (DOZEN_API_DOMAIN), or null for nowhere. */
export interface ApiEndpoint {
  host: string;
  port: number;
}

/**
 * What the edge does for the control plane: it runs the apps (the Runtime), routes their traffic
 * (domains, certificates, HTTPS policies, ACME challenges, the API domain) and measures it.
 * The edge process serves these on its socket (EdgeServer); a control plane drives them through
 * RemoteEdge, or holds them in its own process (tests, `buildGraph`).
 */
export interface EdgeServices {
  runtime: Runtime;
  domains: DomainRoutes;
  tls: TlsRoutes & AcmeChallenges;
  metrics: MetricsSource;
  /** The apps' metrics series (issue 16): kept here, so they outlive a control plane's restart. */
  series: MetricsSeries;
  setApiEndpoint(endpoint: ApiEndpoint | null): void;
  hello(): EdgeHello;
  /** Stops every app process and then the edge itself (`dozen down --stop-apps`). */
  stopApps(): Promise<void>;
}
