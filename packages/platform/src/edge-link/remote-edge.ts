import { DozenError } from '@dozen/contracts/errors';
import type { ProcessStatus } from '../core/model.js';
import type { ObservedRuntime } from '../core/formation-plan.js';
import type { AppSeries, SeriesQuery } from '../core/ports/metrics-series.js';
import type { OneOff, OneOffRequest, Runtime, RunTarget } from '../core/ports/runtime.js';
import type { HttpsPolicy, ServedCertificate } from '../core/ports/tls-routes.js';
import type { MetricFamily } from '../shared-ports/metrics.js';
import type { EdgeCalls } from './edge-client.js';
import type { ApiEndpoint, EdgeServices } from './edge-services.js';
import type { EdgeAddress, EdgeHello } from './protocol.js';
import { RemoteOneOff } from './remote-one-off.js';

/**
 * The EdgeServices of an edge in another process, over its socket: what the core and the API
 * are given in place of the runtime and the router's tables. Changes that answer nothing are
 * notices (kept in order with the calls after them).
 */
export class RemoteEdge implements EdgeServices {
  readonly runtime: RemoteRuntime;
  private letGo = false;

  /** `address`: where one-offs connect (the edge's socket, or the current relay: a function). */
  constructor(
    public client: EdgeCalls,
    address: EdgeAddress | (() => EdgeAddress),
    protected greeting: EdgeHello,
    private readonly reconnect: (previous: EdgeHello) => Promise<{ client: EdgeCalls; hello: EdgeHello }>,
  ) {
    this.runtime = new RemoteRuntime(() => this.client, typeof address === 'function' ? address : () => address, () => {
      this.letGo = true;
    });
  }

  /**
   * Keeps an edge connected: when the connection ends without this process letting go (the edge
   * was killed), the edge of the data dir is connected or started again, after `lost`; `back`
   * then tells it everything again (level-triggered, like a start).
   */
  stayConnected(lost: (why: string) => void, back: (hello: EdgeHello) => Promise<void>, replacedWaitMs = 5_000): void {
    void this.client.closed.then(async () => {
      if (this.letGo) return;
      if (this.client.replaced) {
        // Another control plane (a new runtime leader) took the edge: taking it back at once would
        // cut it off in turn; this one is told to let go meanwhile (its lease lost), or tries later.
        lost(`another control plane took over the edge (pid ${this.greeting.pid}); trying again in ${replacedWaitMs / 1000} s unless this one lets go`);
        await new Promise((resolve) => setTimeout(resolve, replacedWaitMs));
      } else lost(`the edge (pid ${this.greeting.pid}) went away`);
      for (let attempt = 1; !this.letGo; attempt++) {
        try {
          const { client, hello } = await this.reconnect(this.greeting);
          // Let go meanwhile (a lost lease): this connection would cut off the edge's new control plane.
          if (this.letGo) return client.close();
          this.client = client;
          this.greeting = hello;
          await back(hello);
          this.stayConnected(lost, back);
          return;
        } catch (error) {
          lost(`could not start a new edge (attempt ${attempt}): ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)));
        }
      }
    });
  }

  readonly domains = {
    setDomains: (app: string, hostnames: string[]) => this.client.notify('setDomains', { app, hostnames }),
    // PROTOCOL 2: a notice of its own (issue 17), re-sent with the domains when the edge is (re)connected.
    setMaintenance: (app: string, on: boolean) => this.client.notify('setMaintenance', { app, on }),
  };

  readonly tls = {
    setCertificates: (app: string, certificates: ServedCertificate[]) => this.client.notify('setCertificates', { app, certificates }),
    setHttpsPolicy: (app: string, policy: HttpsPolicy | null) => this.client.notify('setHttpsPolicy', { app, policy }),
    setChallenge: (token: string, keyAuthorization: string) => this.client.notify('setChallenge', { token, keyAuthorization }),
    removeChallenge: (token: string) => this.client.notify('removeChallenge', { token }),
  };

  readonly metrics = {
    collect: () => this.client.call<MetricFamily[]>('metrics', {}),
  };

  /** An edge older than the series (issue 16) answers that it has no such method: said as such. */
  readonly series = {
    series: (app: string, query: SeriesQuery) =>
      this.client.call<AppSeries>('series', { app, query }).catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'The edge has no method series') throw error;
        throw new DozenError('EDGE_PROTOCOL_MISMATCH', `The running edge (pid ${this.greeting.pid}, Dozen ${this.greeting.version}) is older than this control plane and keeps no metrics series.`);
      }),
  };

  setApiEndpoint(endpoint: ApiEndpoint | null): void {
    this.client.notify('setApiEndpoint', { endpoint });
  }

  hello(): EdgeHello {
    return this.greeting;
  }

  stopApps(): Promise<void> {
    this.letGo = true;
    return this.client.call('stopApps', {});
  }
}

/** The Runtime of the edge. One-off names are chosen here, so that `run.name` is known at once. */
export class RemoteRuntime implements Runtime {
  private readonly oneOffNames = new Set<string>();

  constructor(
    private readonly link: () => EdgeCalls,
    private readonly address: () => EdgeAddress,
    private readonly lettingGo: () => void,
  ) {}

  private get client(): EdgeCalls {
    return this.link();
  }

  converge(app: string, target: RunTarget | null): void {
    this.client.notify('converge', { app, target });
  }

  rollout(target: RunTarget, progress: (line: string) => void): Promise<void> {
    return this.client.call('rollout', { target }, progress);
  }

  restart(app: string, selector?: string): Promise<void> {
    return this.client.call('restart', { app, selector });
  }

  stop(app: string, process: string): Promise<void> {
    return this.client.call('stop', { app, process });
  }

  list(app: string): Promise<ProcessStatus[]> {
    return this.client.call('list', { app });
  }

  observe(app: string): Promise<ObservedRuntime> {
    return this.client.call('observe', { app });
  }

  remove(app: string): Promise<void> {
    return this.client.call('remove', { app });
  }

  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    const name = request.name ?? this.freeName();
    this.oneOffNames.add(name);
    const run = new RemoteOneOff(this.address(), name, target, request);
    void run.exit.then(() => this.oneOffNames.delete(name));
    return run;
  }

  /** The control plane only lets go: the edge keeps the apps running. */
  async shutdown(): Promise<void> {
    this.lettingGo();
    this.client.close();
    await this.client.closed;
  }

  /** `run.NNNN` (Heroku's shape), not one this control plane has running. */
  private freeName(): string {
    for (let attempt = 0; attempt < 100; attempt++) {
      const name = `run.${1000 + Math.floor(Math.random() * 9000)}`;
      if (!this.oneOffNames.has(name)) return name;
    }
    return `run.${10_000 + this.oneOffNames.size}`;
  }
}
