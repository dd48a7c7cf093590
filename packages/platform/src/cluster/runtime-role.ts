import type { Logger } from 'pino';
import type { LogSink } from '../core/ports/logs.js';
import type { Runtime, RunTarget } from '../core/ports/runtime.js';
import type { EvidenceSink } from '../core/scorecard/evidence.js';
import type { EdgeServices } from '../edge-link/edge-services.js';
import type { RemoteEdge } from '../edge-link/remote-edge.js';
import type { ClusterMember, Leases, Members } from './cluster-ports.js';
import { openHostEdge } from './host-edge.js';
import { retryPrepare } from '../edge-link/prepare-retry.js';
import { startRelay, type Relay, type RelayOptions } from './relay-server.js';

export interface RuntimeRoleOptions {
  /** DOZEN_HOST_ID: the lease is `runtime:<hostId>`; the leader and standbys of a host share the data dir. */
  hostId: string;
  leases: Leases;
  members: Members;
  /** The host's edge socket (`dataDirLayout(dir).edgeSocket`), served by the router role. */
  edgeSocket: string;
  /** Where the relay listens and what it checks: DOZEN_CLUSTER_TOKEN, DOZEN_LISTEN_HOST, DOZEN_RELAY_PORT. */
  relay: Pick<RelayOptions, 'token' | 'host' | 'port' | 'advertiseHost'>;
  /** Fetches, checks and unpacks a slug from an api unless it is on this host already (bq19). */
  ensureSlug(appId: string, slugId: string): Promise<void>;
  /** Tells the edge every app's target and routes: `resendTargets` on deps whose runtime, domainRoutes and tlsRoutes are `edge`'s. */
  resend(edge: EdgeServices): Promise<number>;
  /** Where the edge's log lines and evidence go while this process leads (the store). */
  logs: LogSink;
  evidence?: EvidenceSink;
  logger: Logger;
}

export interface RuntimeRole {
  readonly member: ClusterMember;
  /** The relay's URL while this process leads, else null. */
  relayUrl(): string | null;
  /** The edge this process drives while it leads, else null. */
  edge(): RemoteEdge | null;
  /** Lets go of the lease, the relay and the edge (its apps keep running). */
  stop(): Promise<void>;
}

interface Term {
  abort: AbortController;
  edge: RemoteEdge | null;
  relay: Relay | null;
}

/**
 * `dozen serve runtime` (issue 19): competes for the lease `runtime:<host>`. The leader connects
 * to the host's edge, re-sends every app's target (the edge adopts what runs: no duplicates),
 * serves the relay the apis drive the edge through, and advertises its URL in Members; a lost
 * lease stops all of that at once (the apps keep running) and the process competes again.
 */
export async function startRuntimeRole(options: RuntimeRoleOptions): Promise<RuntimeRole> {
  const { members, logger } = options;
  const member = await members.join({ role: 'runtime', host: options.hostId, url: null });
  let term: Term | null = null;
  let stopped = false;
  const end = (ending: Term | null) => {
    if (ending === null) return;
    ending.abort.abort();
    ending.relay?.close();
    if (ending.edge !== null) void ending.edge.runtime.shutdown();
  };
  const lose = () => {
    const ending = term;
    term = null;
    end(ending);
    void members.advertise(member.id, null).catch(() => undefined);
  };
  const lead = async () => {
    const mine: Term = { abort: new AbortController(), edge: null, relay: null };
    end(term);
    term = mine;
    try {
      await serve(options, mine, member);
      if (term !== mine) end(mine);
    } catch (error) {
      if (term !== mine) return end(mine);
      // Leading without serving helps nobody: let another process try, and compete again.
      logger.error({ err: error }, `The runtime leader could not start: ${(error as Error).message}; competing again`);
      lose();
      await lease.current.stop();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!stopped) lease.current = compete();
    }
  };
  const lost = () => {
    logger.warn(`Lost the runtime lease of host ${options.hostId}: the relay is closed, the apps keep running`);
    lose();
  };
  const compete = () => options.leases.hold(`runtime:${options.hostId}`, { acquired: () => lead(), lost });
  const lease = { current: compete() };
  return {
    member,
    relayUrl: () => term?.relay?.url ?? null,
    edge: () => term?.edge ?? null,
    stop: async () => {
      stopped = true;
      lose();
      await lease.current.stop();
    },
  };
}

/** The leader's work: the edge, every target re-sent, the relay, its URL advertised. */
async function serve(options: RuntimeRoleOptions, mine: Term, member: ClusterMember): Promise<void> {
  const { logger } = options;
  const onLogs = (records: Parameters<LogSink['append']>[0][]) => {
    for (const record of records) options.logs.append(record);
  };
  const onEvidence = (records: Parameters<EvidenceSink['report']>[0][]) => {
    for (const record of records) options.evidence?.report(record);
  };
  logger.info({ host: options.hostId }, `Leading the runtime of host ${options.hostId}: connecting to the edge on ${options.edgeSocket}`);
  const edge = await openHostEdge({ socketPath: options.edgeSocket, onLogs, onEvidence }, mine.abort.signal);
  mine.edge = edge;
  if (mine.abort.signal.aborted) return;
  const onSlugFailed = (method: string, error: unknown) => logger.error({ err: error, method }, `A ${method} was not run: its slug could not be fetched (tried again until it is): ${(error as Error).message}`);
  // The target last sent per app, by the re-sends and the relay alike: a retried converge runs only while it is that one.
  const latest = new Map<string, RunTarget | null>();
  const resend = () => resendTo(edge, options, { latest, signal: mine.abort.signal, failed: onSlugFailed });
  edge.stayConnected(
    (why) => logger.error({ edge: why }, `Edge: ${why}; waiting for the router role to serve it again`),
    async (hello) => {
      const apps = await resend();
      logger.warn({ edgePid: hello.pid, apps }, `Connected to the edge again (pid ${hello.pid}): ${apps} apps told what to run`);
    },
  );
  const apps = await resend();
  if (mine.abort.signal.aborted) return;
  mine.relay = await startRelay({ ...options.relay, edge: relayed(edge, latest), ensureSlug: options.ensureSlug, onSlugFailed });
  if (mine.abort.signal.aborted) return;
  await options.members.advertise(member.id, mine.relay.url);
  const hello = edge.hello();
  logger.info({ edgePid: hello.pid, apps, relay: mine.relay.url }, `Runtime leader of host ${options.hostId}: edge pid ${hello.pid}, ${apps} apps told what to run, relay on ${mine.relay.url}`);
}

interface Resend {
  latest: Map<string, RunTarget | null>;
  /** The leader's term: retries end with it. */
  signal: AbortSignal;
  failed: (method: string, error: unknown) => void;
}

/**
 * Every app's target and routes to the edge (`resend`): a converge waits for its slug to be on
 * this host (a new host has none; of several for one app only the newest is run); resolves once all are sent.
 * A failed fetch (an api briefly away) is tried again with backoff (retryPrepare) without holding back the rest.
 */
async function resendTo(edge: RemoteEdge, options: RuntimeRoleOptions, { latest, signal, failed }: Resend): Promise<number> {
  const fetching: Promise<unknown>[] = [];
  const converge = (app: string, target: RunTarget | null) => {
    latest.set(app, target);
    if (target === null) return edge.runtime.converge(app, null);
    const wanted = () => latest.get(app) === target;
    const prepare = () => options.ensureSlug(target.appId, target.slugId);
    const sent = prepare().then(
      () => wanted() && edge.runtime.converge(app, target),
      (error: unknown) => {
        failed('converge', error);
        void retryPrepare({ prepare, wanted, signal }).then((ok) => ok && edge.runtime.converge(app, target));
      },
    );
    fetching.push(sent);
  };
  const apps = await options.resend({ ...relayed(edge, latest), runtime: Object.create(edge.runtime, { converge: { value: converge } }) as Runtime });
  await Promise.all(fetching);
  return apps;
}

/**
 * The edge as the relay serves it: `stopApps` (`dozen down --stop-apps` through an api) stops the
 * router role's apps and process, but this leader keeps waiting for the edge to come back.
 */
function relayed(edge: RemoteEdge, latest: Map<string, RunTarget | null>): EdgeServices {
  const converge = (app: string, target: RunTarget | null) => {
    latest.set(app, target);
    edge.runtime.converge(app, target);
  };
  const rollout = (target: RunTarget, progress: (line: string) => void) => {
    latest.set(target.app, target);
    return edge.runtime.rollout(target, progress);
  };
  return {
    runtime: Object.create(edge.runtime, { converge: { value: converge }, rollout: { value: rollout } }) as Runtime,
    domains: edge.domains,
    tls: edge.tls,
    metrics: edge.metrics,
    series: edge.series,
    setApiEndpoint: (endpoint) => edge.setApiEndpoint(endpoint),
    hello: () => edge.hello(),
    stopApps: () => edge.client.call('stopApps', {}),
  };
}
