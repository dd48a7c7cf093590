import type { Logger } from 'pino';
import type { PlatformConfig } from '../config.js';
import { buildApi, type ApiOptions } from '../api/server.js';
import type { Leases, Members } from '../cluster/cluster-ports.js';
import type { Builder, BuildOutputs } from '../core/ports/build.js';
import { listenOn } from '../edge-main.js';
import type { Sandbox } from '../shared-ports/sandbox.js';
import type { EdgeMaker } from '../edge-wiring.js';
import { runPingMs } from './all-in-one.js';
import { DASHBOARD_DIR, urlHost } from './graph-parts.js';
import { assembleGraph, type GraphContext, type LogHistory } from './platform-graph.js';
import type { Stoppable } from './process-lifecycle.js';
import { holdScheduler, type ExtraSingleton } from './scheduler-lease.js';

/** What the api role gets from the cluster (cluster-adapters.ts builds them on PostgreSQL). */
export interface ApiRoleParts {
  members: Members;
  /** The lease `scheduler`: its holder runs the singletons (scheduler-lease.ts). */
  leases: Leases;
  /** The current runtime leader's relay (found in `members`, reconnected when the leader changes). */
  leaderEdge: EdgeMaker;
  /** App logs in the store: any api replica reads what the runtime leader wrote. */
  logs: LogHistory;
  /** Build output in the store: followed from any api replica. */
  buildOutputs: BuildOutputs;
  /** Builds go to the queue; a builder role runs them (given the sandbox of this process's own checks). */
  builder: (sandbox: Sandbox) => Builder;
  /** The cluster's own routes (artefacts), behind the cluster token. */
  apiOptions: Partial<ApiOptions>;
  /** Singletons of the cluster's own, run with the others by the holder of the lease `scheduler`. */
  singletons: ExtraSingleton[];
  /** Lets go of the session connection (after everything else). */
  close(): Promise<void>;
}

/**
 * `dozen serve api` (any number of them): the HTTP API and the use cases. Apps run behind the
 * runtime leader's relay. The singletons (GC, cron, certificates, the review sweeper) run in the
 * one api that holds the lease `scheduler` (docs/decisions.md, "The scheduler lease").
 */
export async function startApiRole(config: PlatformConfig, logger: Logger, makeParts: (context: GraphContext) => Promise<ApiRoleParts>): Promise<Stoppable> {
  let parts!: ApiRoleParts;
  const graph = await assembleGraph(config, logger, async (context) => {
    parts = await makeParts(context);
    return { makeEdge: parts.leaderEdge, logs: parts.logs, builder: parts.builder, buildOutputs: parts.buildOutputs };
  });
  const { deps, edge, runtime, logs, drains, sandbox, store, addons, git, apiPort, slugs } = graph;
  const shutdown = new AbortController();
  const trustProxy = ['loopback', ...config.router.trustedProxies];
  const api = await buildApi({ deps, logger: logger.child({ role: 'api' }), shutdown: shutdown.signal, metrics: [edge.metrics], metricsToken: config.metricsToken, trustProxy, runPingMs: runPingMs(config), dashboardDir: DASHBOARD_DIR, slugs, ...parts.apiOptions });
  let scheduler: { stop(): Promise<void> } | null = null;
  const stop = async () => {
    await scheduler?.stop();
    shutdown.abort();
    await api.close();
    await git.close();
    // The apps keep running on their hosts: this process only lets go of the relay.
    await runtime.shutdown();
    sandbox.close();
    await addons.close({ stopServers: false });
    await logs.close();
    await drains.shutdown();
    await store.close();
    await parts.close();
  };
  try {
    await api.ready();
    apiPort.value = await listenOn(api.server, config.apiPort, config.listenHost, 'PORT');
    const url = `http://${urlHost(config.listenHost)}:${apiPort.value}`;
    const member = await parts.members.join({ role: 'api', host: config.cluster.hostId, url });
    scheduler = holdScheduler(deps, parts.leases, logger, parts.singletons);
    logger.info({ api: url, member: member.id, host: config.cluster.hostId, dataDir: config.dataDir, adminTokenFile: graph.adminTokenFile }, `Dozen api is up: ${url} (member ${member.id})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
