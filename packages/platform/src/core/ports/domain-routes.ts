/** Custom domains, as the router sees them. */

/** The router's view of custom domains (exact or `*.example.com`). Fed at start and on change. */
export interface DomainRoutes {
  /** Replaces the custom domains routed to `app` (an empty list removes them all). */
  setDomains(app: string, hostnames: string[]): void;
  /** Maintenance mode (issue 17): on, the router answers every request for `app` with 503 (H80). */
  setMaintenance(app: string, on: boolean): void;
}
