import { join } from 'node:path';
import type { Logger } from 'pino';
import { dataDirLayout } from '@dozen/contracts/node';
import type { PlatformConfig } from '../config.js';
import { createBuilder } from '../build-wiring.js';
import { LazyBuilder } from '../build/lazy-builder.js';
import { buildLimits, sandboxedRunner } from '../build/sandboxed-runner.js';
import { ArtefactClient } from '../cluster/artefact-client.js';
import { storeConfigSealing } from '../cluster/build-job-payload.js';
import { BuildJobs } from '../cluster/build-jobs.js';
import { startBuilderWorker } from '../cluster/builder-worker.js';
import { openSandbox } from '../sandbox/open-sandbox.js';
import { clusterDb, type ClusterSession } from './cluster-session.js';
import { openStore, prepareDataDir } from './graph-parts.js';
import type { Stoppable } from './process-lifecycle.js';

/**
 * `dozen serve builder` (any number): takes build jobs from the queue in the store, fetches each
 * source from an api (DOZEN_API_URLS), runs the slug builder sandboxed in its own data dir (its
 * build caches are local), uploads the slug and records the result. SIGTERM: no new job; the
 * running one gets the grace period (DOZEN_GRACE_PERIOD) to finish, else it goes back to the queue.
 */
export async function startBuilderRole(config: PlatformConfig, logger: Logger, cluster: ClusterSession): Promise<Stoppable> {
  const layout = dataDirLayout(config.dataDir);
  const { store } = await openStore(config, layout, logger);
  const dirs = prepareDataDir(layout);
  const sandbox = openSandbox(config.sandbox, join(dirs.sandbox, 'builds'), config.limits);
  const builder = new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(sandbox, buildLimits(config.buildMemoryBytes))));
  const staleMs = config.cluster.builderLostMs;
  const jobs = new BuildJobs(clusterDb(store), cluster.notifier, { staleMs });
  const client = new ArtefactClient(config.cluster.apiUrls, config.cluster.token as string);
  const member = await cluster.members(clusterDb(store)).join({ role: 'builder', host: config.cluster.hostId, url: null });
  const worker = startBuilderWorker({
    workerId: `${config.cluster.hostId}:${process.pid}:${member.id.slice(0, 8)}`,
    jobs,
    client,
    builder,
    sealing: storeConfigSealing(store),
    dirs,
    heartbeatMs: Math.max(250, Math.min(2000, Math.floor(staleMs / 3))),
    log: (line) => logger.info(line),
  });
  logger.info({ member: member.id, host: config.cluster.hostId, dataDir: config.dataDir, apis: config.cluster.apiUrls, sandbox: sandbox.kind }, `Dozen builder is up: taking build jobs (member ${member.id})`);
  return {
    stop: async () => {
      await worker.stop(config.graceMs);
      sandbox.close();
      await store.close();
      await cluster.close();
    },
  };
}
