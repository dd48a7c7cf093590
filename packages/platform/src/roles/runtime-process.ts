import type { Logger } from 'pino';
import type { PlatformConfig } from '../config.js';
import { ArtefactClient } from '../cluster/artefact-client.js';
import { LeaderEdge } from '../cluster/leader-edge.js';
import { LeaderLink } from '../cluster/leader-link.js';
import { startRuntimeRole } from '../cluster/runtime-role.js';
import { ensureSlug } from '../cluster/slug-transfer.js';
import type { EvidenceSink } from '../core/scorecard/evidence.js';
import type { LogSink } from '../core/ports/logs.js';
import { resendTargets } from '../core/use-cases/startup.js';
import { dataDirLayout } from '@dozen/contracts/node';
import { clusterDb, type ClusterSession } from './cluster-session.js';
import { assembleGraph, type GraphContext, type LogHistory } from './platform-graph.js';
import type { Stoppable } from './process-lifecycle.js';
import { syncDrains } from './drain-sync.js';

/**
 * `dozen serve runtime` (a leader and standbys per host, sharing the host's data dir with the
 * router role): cluster/runtime-role.ts competes for the lease `runtime:<host>`; the leader drives
 * the host's edge, writes its log lines and evidence to the store, fetches slugs from an api and
 * serves the relay the apis reach the edge through. The core graph here (store, settings) re-sends
 * every app's target when this process becomes the leader, and feeds the log drains (drain-sync.ts).
 */
export async function startRuntimeProcess(config: PlatformConfig, logger: Logger, cluster: ClusterSession, makeLogs: (context: GraphContext) => Promise<LogHistory>): Promise<Stoppable> {
  const token = config.cluster.token as string;
  let link: LeaderLink | null = null;
  const sinks: { logs: LogSink | null; evidence?: EvidenceSink | undefined } = { logs: null };
  const graph = await assembleGraph(config, logger, async (context) => {
    // Calls of this graph's own (none but the re-sends below, which name their edge) would go to the leader.
    link = new LeaderLink({ members: cluster.members(clusterDb(context.store)), token });
    const edge = new LeaderEdge(link);
    return {
      logs: await makeLogs(context),
      makeEdge: async (logs, _dirs, evidence) => {
        sinks.logs = logs;
        sinks.evidence = evidence;
        return { edge, local: null, adopted: true };
      },
    };
  });
  const { deps, store } = graph;
  const lead = link as LeaderLink | null;
  const layout = dataDirLayout(config.dataDir);
  const client = new ArtefactClient(config.cluster.apiUrls, token);
  const fetchSlug = async (appId: string, slugId: string) => {
    const uid = await store.appUid(appId, config.appUidBase);
    await ensureSlug({ client, layout, appId, slugId, owner: { uid, gid: uid } });
  };
  const role = await startRuntimeRole({
    hostId: config.cluster.hostId,
    leases: cluster.leases,
    members: cluster.members(clusterDb(store)),
    edgeSocket: layout.edgeSocket,
    relay: { token, host: config.listenHost, port: config.cluster.relayPort, advertiseHost: relayHost(config) },
    ensureSlug: fetchSlug,
    resend: (edge) => resendTargets({ ...deps, runtime: edge.runtime, domainRoutes: edge.domains, tlsRoutes: edge.tls }),
    logs: sinks.logs as LogSink,
    ...(sinks.evidence ? { evidence: sinks.evidence } : {}),
    logger: logger.child({ role: 'runtime' }),
  });
  const stopDrains = syncDrains(deps, logger.child({ role: 'drains' }));
  logger.info({ member: role.member.id, host: config.cluster.hostId, dataDir: config.dataDir }, `Dozen runtime is up: competing for the lease runtime:${config.cluster.hostId} (member ${role.member.id})`);
  return {
    stop: async () => {
      stopDrains();
      await role.stop();
      lead?.close();
      graph.sandbox.close();
      await graph.addons.close({ stopServers: false });
      await graph.logs.close();
      await graph.drains.shutdown();
      await store.close();
      await cluster.close();
    },
  };
}

/**
 * The host the apis reach this relay at: DOZEN_LISTEN_HOST when it is an address of its own; on
 * a wildcard (0.0.0.0, ::) the host id (DOZEN_HOST_ID, the hostname by default), which the api
 * hosts must resolve (docs/scale-out.md).
 */
function relayHost(config: PlatformConfig): string {
  const wildcard = config.listenHost === '0.0.0.0' || config.listenHost === '::';
  return wildcard ? config.cluster.hostId : config.listenHost;
}
