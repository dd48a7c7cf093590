/** Between adapters (no core file uses it): the runtime feeds the router. */

/** The router's view of where an app's web processes listen. Fed by the runtime. */
export interface RouteTable {
  declareApp(app: string): void;
  removeApp(app: string): void;
  /** `host`: the address the process listens on (its app's network), 127.0.0.1 when absent. */
  addEndpoint(app: string, endpoint: { id: string; process: string; host?: string; port: number }): void;
  /**
   * Takes the endpoint out at once (a crash: nothing more can be served there). When it was the
   * app's last one, the router answers "app crashed" (H10) until a process is added again.
   */
  removeEndpoint(app: string, id: string): void;
  /**
   * Takes the endpoint out of rotation and resolves once the requests in flight to it have
   * finished, or after `timeoutMs`: a planned stop lets them complete before SIGTERM.
   */
  drain(app: string, id: string, timeoutMs: number): Promise<void>;
}
