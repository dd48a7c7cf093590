/** Between adapters (no core file uses it): the runtime puts each app's processes on its network. */

/** Where an app's processes are on the network. */
export interface AppAddress {
  /** The address the platform (router, readiness and health checks) connects to their PORT on. */
  host: string;
  /** The network namespace the app's processes join (a path), null for the host's own network. */
  namespace: string | null;
  /**
   * The host as the app's processes reach it: its attached add-on servers and the router's port
   * answer there. Null without isolation (they use the host's loopback as before).
   */
  gateway: string | null;
}

/**
 * One network per app (or the host's, without isolation). `prepare` is idempotent and
 * level-triggered: it makes the app's network exist and lets it reach exactly the given ports of
 * the host's loopback (its add-on servers) besides the router's port.
 */
export interface AppNetwork {
  readonly isolated: boolean;
  /** What apps can reach, in a sentence for the platform's start-up log. */
  readonly note: string;
  prepare(app: string, loopbackPorts: readonly number[]): Promise<AppAddress>;
  /** Removes the app's network, addresses and firewall rules. Idempotent. */
  remove(app: string): Promise<void>;
  /** Removes every app's network (the platform stops). */
  close(): Promise<void>;
}
