import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pino, type Logger } from 'pino';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { dataDirLayout, type DataDirLayout } from '@dozen/contracts/node';
import { AddonRegistry } from '../addons/addon-registry.js';
import { assertNoRestoreInProgress, platformBackups, type PlatformBackups } from '../backup-wiring.js';
import { createBuilder } from '../build-wiring.js';
import { LazyBuilder } from '../build/lazy-builder.js';
import { buildLimits, sandboxedRunner } from '../build/sandboxed-runner.js';
import { TarIntake } from '../build/intake/tar-intake.js';
import { LazyGitService } from '../git/lazy-git-service.js';
import type { PlatformConfig } from '../config.js';
import { AppLocks } from '../core/app-locks.js';
import { BuildQueue } from '../core/build-queue.js';
import type { CoreDeps } from '../core/deps.js';
import type { Builder, BuildOutputs } from '../core/ports/build.js';
import type { LogReader, LogSink } from '../core/ports/logs.js';
import type { LogRecord } from '../core/model.js';
import type { Runtime } from '../core/ports/runtime.js';
import type { Sandbox } from '../shared-ports/sandbox.js';
import { receivePush } from '../core/use-cases/pushes.js';
import type { EdgeServices } from '../edge-link/edge-services.js';
import type { LocalEdge } from '../edge-main.js';
import { inProcessEdge, type EdgeMaker } from '../edge-wiring.js';
import type { RemoteEdge } from '../edge-link/remote-edge.js';
import { BuildOutputHub } from '../logs/build-output-hub.js';
import { LocalDrainHub } from '../logs/drains/drain-hub.js';
import { LogBus } from '../logs/log-bus.js';
import { AutoCertificates } from '../core/auto-certificates.js';
import { openSandbox } from '../sandbox/open-sandbox.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { KyselyEvidenceStore } from '../store/evidence-rows.js';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { runtimeResultsFrom } from '../core/scorecard/runtime-results.js';
import { currentSchema } from '../store/data-version-file.js';
import { DataDirDisk } from '../disk/data-dir-disk.js';
import { GarbageCollector } from '../core/garbage-collector.js';
import { CronScheduler } from '../core/cron-scheduler.js';
import { ReviewSweeper } from '../core/review-sweeper.js';
import { SlugArchives } from '../kubernetes/slug-archives.js';
import { slugTokenKey } from '../kubernetes/slug-token.js';
import { acmeFor, coreSettings, ensureAdminToken, openStore, prepareDataDir, systemClock } from './graph-parts.js';

/** The log history a graph writes app lines to and reads them from: the data dir's LogBus (`dozen up`) or the store's (a cluster). */
export interface LogHistory extends LogSink, LogReader {
  /** Every batch of lines written by this process (the drains). */
  tap(listener: (records: LogRecord[]) => void): () => void;
  close(): void | Promise<void>;
}

/** The object graph of one control plane process, before anything listens. */
export interface PlatformGraph<Logs extends LogHistory = LogBus> {
  deps: CoreDeps;
  autoCerts: AutoCertificates;
  /** Scheduled jobs (issue 17): started once the apps are resumed. */
  cron: CronScheduler;
  /** The daily check that destroys idle review apps (issue 17). */
  reviewSweeper: ReviewSweeper;
  /** The router and the app processes: in another process (`dozen up`), `local` in this one, or a runtime leader's relay (`dozen serve api`). */
  edge: EdgeServices;
  local: LocalEdge | null;
  /** The edge in its own process (null: `local`). */
  remote: RemoteEdge | null;
  /** Whether the edge was running already (a restart or an upgrade of the control plane). */
  adopted: boolean;
  runtime: Runtime;
  logs: Logs;
  drains: LocalDrainHub;
  /** The sandbox builds run in. */
  sandbox: Sandbox;
  store: KyselyStore;
  addons: AddonRegistry;
  git: LazyGitService;
  backups: PlatformBackups;
  adminTokenFile: string;
  /** The router's port once it listens (for app URLs). */
  routerPort: { value: number };
  /** The router's HTTPS port once it listens (0: off). */
  routerHttpsPort: { value: number };
  /** The API's port once it listens (drains may not point at it). */
  apiPort: { value: number };
  /** Slugs served to a cluster's init containers (GET /slugs/:slug). */
  slugs: SlugArchives;
}

/** What a graph's parts are made from: the store (opened with its keys) and the data dir. */
export interface GraphContext {
  store: KyselyStore;
  dirs: DataDirLayout;
}

/** What differs between the graph of `dozen up` and that of `dozen serve api` (api-role.ts). */
export interface GraphParts<Logs extends LogHistory> {
  makeEdge: EdgeMaker;
  logs: Logs;
  /** The builder, given the sandbox builds run in (default: the slug builder in this process). */
  builder?: (sandbox: Sandbox) => Builder;
  buildOutputs?: BuildOutputs;
}

/**
 * The composition root of `dozen up` (all roles in one process): the only place that constructs
 * adapters and hands them to the core.
 */
export function buildGraph(config: PlatformConfig, logger: Logger = pino({ level: 'silent' }), makeEdge: EdgeMaker = inProcessEdge(config)): Promise<PlatformGraph> {
  return assembleGraph(config, logger, ({ dirs }) => ({ makeEdge, logs: new LogBus({ dir: dirs.logs, maxLines: config.logLinesPerApp, maxBytes: config.logBytesPerApp }) }));
}

/** The graph of a control plane process (`dozen up`, or the api role with its cluster parts). */
export async function assembleGraph<Logs extends LogHistory>(config: PlatformConfig, logger: Logger, makeParts: (context: GraphContext) => GraphParts<Logs> | Promise<GraphParts<Logs>>): Promise<PlatformGraph<Logs>> {
  // The master keys first: a start whose keys do not open the store refuses before it writes anything.
  const layout = dataDirLayout(config.dataDir);
  assertNoRestoreInProgress(layout);
  const { store, secrets } = await openStore(config, layout, logger);
  const dirs = prepareDataDir(layout);
  const addonLog = logger.child({ role: 'addons' });
  const addons = new AddonRegistry({ dataDir: dirs.root, addonsDir: dirs.addons, ...config.addons, log: (level, message) => addonLog[level](message), box: store.platformSecrets() });
  const backups = platformBackups(dirs, config.store, addons, config.backups);
  const parts = await makeParts({ store, dirs });
  const logs = parts.logs;
  // The scorecard's runtime evidence (issue 18): the edge measures, the store keeps it per release.
  const evidence = new KyselyEvidenceStore(store.kysely);
  const evidenceLog = logger.child({ role: 'evidence' });
  const evidenceSink = { report: (record: EvidenceRecord) => void evidence.putEvidence(record).catch((error: unknown) => evidenceLog.warn({ err: error }, 'evidence not stored')) };
  const { edge, local, remote = null, adopted } = await parts.makeEdge(logs, dirs, evidenceSink);
  const hello = edge.hello();
  const routerPort = { value: hello.routerPort || config.routerPort };
  const routerHttpsPort = { value: hello.routerHttpsPort || (config.routerHttpsPort ?? 0) };
  const apiPort = { value: config.apiPort };
  const drains = new LocalDrainHub({ ...config.drains, ownPorts: () => [apiPort.value, routerPort.value] });
  logs.tap((records) => drains.deliver(records));
  // Builds run in a sandbox of their own (its own state and cgroups), apart from the edge's apps.
  const sandbox = openSandbox(config.sandbox, join(dirs.sandbox, 'builds'), config.limits);
  // The build pipeline loads on the first build (a restarted platform may idle without one).
  const builder = parts.builder?.(sandbox) ?? new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(sandbox, buildLimits(config.buildMemoryBytes))));
  // DOZEN_RUNTIME=kubernetes (issue 19): apps run on a cluster; init containers fetch slugs from GET /slugs/:slug.
  const slugs = new SlugArchives(dirs.slugs, join(dirs.root, 'slug-archives'), slugTokenKey(join(dirs.root, 'slug-token.key')));
  // @kubernetes/client-node loads only then (an idle local platform's memory).
  const runtime = config.runtime.kind === 'kubernetes'
    ? (await import('../kubernetes-wiring.js')).kubernetesRuntime({ config: config.runtime, slugs, domains: store, domain: config.domain, logs, graceMs: config.graceMs, bootTimeoutMs: config.bootTimeoutMs, sizes: config.sizes })
    : edge.runtime;
  // The git adapter calls back into the core for each push: `deps` exists by the time one arrives.
  // It loads on the first git request (most platforms idle without one).
  const git = new LazyGitService(async () => {
    const { GitRepositories } = await import('../git/repositories.js');
    return new GitRepositories({
      dir: dirs.git,
      socketPath: dirs.gitHooksSocket,
      nodeBinDir: dirname(process.execPath),
      maxPushBytes: config.gitMaxPushBytes,
      receive: (push) => receivePush(deps, push),
    });
  });
  const deps: CoreDeps = {
    store,
    runtime,
    intake: new TarIntake(dirs.sources, config.source),
    builder,
    buildOutputs: parts.buildOutputs ?? new BuildOutputHub(),
    logs,
    drains,
    clock: systemClock,
    ids: { next: () => randomUUID() },
    locks: new AppLocks(),
    builds: new BuildQueue(config.buildConcurrency),
    settings: coreSettings(config, () => routerPort.value),
    addons,
    domainRoutes: edge.domains,
    tlsRoutes: edge.tls,
    acme: acmeFor(config, edge.tls),
    git,
    secrets,
    disk: new DataDirDisk(dirs, config.store.file), gc: { kick: () => undefined, stop: async () => undefined }, cron: { trigger: () => Promise.reject(new Error('The scheduler has not started yet.')), stop: () => undefined }, platform: { version: DOZEN_VERSION, startedAt: new Date(), schema: currentSchema, store: config.store.kind },
    backups: backups.deps,
    metrics: edge.series,
    // The runtime half of the scorecard (issue 18): graded from the evidence the edge measured.
    runtimeResults: runtimeResultsFrom(evidence),
    evidence,
    scorecardCost: { now: () => performance.now(), report: (cost) => logger.debug(cost, 'scorecard cost') },
  };
  GarbageCollector.attach(deps, logger.child({ role: 'gc' }));
  // The scheduler of automatic certificates works on `deps`, and is reached through it.
  const cron = CronScheduler.attach(deps, (error, message) => logger.error({ err: error }, message));
  const autoCerts = new AutoCertificates(deps);
  if (deps.acme !== null) deps.acme.scheduler = autoCerts;
  const reviewSweeper = new ReviewSweeper(deps, logger.child({ role: 'review-apps' }));
  const adminTokenFile = await ensureAdminToken(dirs.adminToken, deps);
  return { deps, autoCerts, cron, reviewSweeper, edge, local, remote, adopted, runtime, logs, drains, sandbox, store, addons, git, backups, adminTokenFile, routerPort, routerHttpsPort, apiPort, slugs };
}
