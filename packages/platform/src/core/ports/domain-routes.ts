/** Custom domains, as the router sees them. */

/** The router's view of custom domains (exact or `*.example.com`). Fed at start and on change. */
export interface DomainRoutes {
  /** Replaces the custom domains routed to `app` (an empty list removes them all). */
  setDomains(app: string, hostnames: string[]): void;
}
