import { join } from 'node:path';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config.js';
import { createBuilder } from '../build-wiring.js';
import { LazyBuilder } from '../build/lazy-builder.js';
import { sandboxedRunner } from '../build/sandboxed-runner.js';
import { ArtefactSweep } from '../cluster/artefact-sweep.js';
import type { Role } from '../cluster/cluster-config.js';
import { storeConfigSealing } from '../cluster/build-job-payload.js';
import { BuildJobs } from '../cluster/build-jobs.js';
import { leaderEdge } from '../cluster/leader-edge.js';
import { PgBuildOutputs } from '../cluster/pg-build-outputs.js';
import { PgLogHistory } from '../cluster/pg-log-history.js';
import { QueuedBuilder } from '../cluster/queued-builder.js';
import { StoreArtefacts } from '../cluster/store-artefacts.js';
import { startApiRole, type ApiRoleParts } from './api-role.js';
import { startBuilderRole } from './builder-role.js';
import { clusterDb, openClusterSession, type ClusterSession } from './cluster-session.js';
import type { GraphContext } from './platform-graph.js';
import type { Stoppable } from './process-lifecycle.js';
import { sweepOrphanBuilds } from './orphan-builds.js';
import { systemClock } from './graph-parts.js';
import { startRuntimeProcess } from './runtime-process.js';

/**
 * The one place that puts the PostgreSQL adapters of the cluster (the session connection and its
 * Notifier, Leases and Members; the log history; the build queue and artefacts; the link to the
 * runtime leader) into a role's wiring (api-role.ts, builder-role.ts, runtime-process.ts).
 */
export async function startRole(role: Exclude<Role, 'router'>, config: PlatformConfig, logger: Logger): Promise<Stoppable> {
  const cluster = await openClusterSession(config, role);
  try {
    if (role === 'builder') return await startBuilderRole(config, logger, cluster);
    const logs = ({ store }: GraphContext) => PgLogHistory.open({ db: clusterDb(store), notifier: cluster.notifier, maxLines: config.logLinesPerApp, maxBytes: config.logBytesPerApp });
    if (role === 'runtime') return await startRuntimeProcess(config, logger, cluster, logs);
    return await startApiRole(config, logger, async (context) => {
      const { store } = context;
      const outputs = await PgBuildOutputs.open({ db: store.kysely, notifier: cluster.notifier, session: cluster.session, stored: async (buildId) => (await store.getBuildOutput(buildId)) ?? null });
      return apiParts(config, logger, cluster, context, { logs: await logs(context), outputs });
    });
  } catch (error) {
    await cluster.close();
    throw error;
  }
}

function apiParts(config: PlatformConfig, logger: Logger, cluster: ClusterSession, { store, dirs }: GraphContext, { logs, outputs }: { logs: PgLogHistory; outputs: PgBuildOutputs }): ApiRoleParts {
  const db = clusterDb(store);
  const token = config.cluster.token as string;
  const members = cluster.members(db);
  // A source is at most the upload limit; a slug has no limit of its own: the larger of it and the extracted-source limit.
  const artefacts = new StoreArtefacts(db, () => new Date(), Math.max(config.source.maxUploadBytes, config.source.maxExtractedBytes));
  const jobs = new BuildJobs(db, cluster.notifier, { staleMs: config.cluster.builderLostMs });
  const link = logger.child({ role: 'leader-link' });
  return {
    members,
    leases: cluster.leases,
    leaderEdge: leaderEdge({ members, token, onLeader: (url, why) => link.info({ relay: url }, why) }),
    logs,
    buildOutputs: outputs,
    // The buildpack check of buildpacks:set runs here (a local builder that never builds).
    builder: (sandbox) => new QueuedBuilder({ jobs, artefacts, sealing: storeConfigSealing(store), scratchDir: join(dirs.builds, 'queued'), local: new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(sandbox))) }),
    apiOptions: { clusterToken: token, artefacts },
    singletons: [(log) => sweepOrphanBuilds({ store, clock: systemClock }, jobs, log.child({ role: 'orphan-builds' }), {
      forgetAfterMs: config.buildTimeoutMs + 120_000,
      artefacts: new ArtefactSweep(artefacts, jobs, { sourceAfterMs: config.buildTimeoutMs + 120_000 }),
    })],
    close: () => cluster.close(),
  };
}
