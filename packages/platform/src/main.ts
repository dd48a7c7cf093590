import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { dataDirLayout, type DataDirLayout } from '@dozen/contracts/node';
import { AddonRegistry } from './addons/addon-registry.js';
import { assertNoRestoreInProgress, platformBackups, restoreInto, type PlatformBackups } from './backup-wiring.js';
import { buildApi } from './api/server.js';
import { createBuilder } from './build-wiring.js';
import { LazyBuilder } from './build/lazy-builder.js';
import { buildLimits, sandboxedRunner } from './build/sandboxed-runner.js';
import { TarIntake } from './build/intake/tar-intake.js';
import { LazyGitService } from './git/lazy-git-service.js';
import { readConfig, type PlatformConfig } from './config.js';
import { AppLocks } from './core/app-locks.js';
import { BuildQueue } from './core/build-queue.js';
import type { CoreDeps } from './core/deps.js';
import { resumeDrains } from './core/use-cases/drains.js';
import type { Clock } from './core/ports/clock.js';
import type { Runtime } from './core/ports/runtime.js';
import type { SecretKeys } from './core/ports/secret-keys.js';
import type { Sandbox } from './shared-ports/sandbox.js';
import type { AcmeChallenges } from './shared-ports/acme-challenges.js';
import { receivePush } from './core/use-cases/pushes.js';
import { resumeApps } from './core/use-cases/startup.js';
import { generateToken, issueAdminToken } from './core/use-cases/tokens.js';
import type { EdgeServices } from './edge-link/edge-services.js';
import { listenOn, loopbackOf, type LocalEdge } from './edge-main.js';
import { edgeProcess, inProcessEdge, logEdge, type EdgeMaker } from './edge-wiring.js';
import type { RemoteEdge } from './edge-link/remote-edge.js';
import { BuildOutputHub } from './logs/build-output-hub.js';
import { LocalDrainHub } from './logs/drains/drain-hub.js';
import { LogBus } from './logs/log-bus.js';
import { AcmeClientIssuer } from './acme/acme-issuer.js';
import { AutoCertificates } from './core/auto-certificates.js';
import { openSandbox } from './sandbox/open-sandbox.js';
import type { KyselyStore } from './store/kysely-store.js';
import { KyselyEvidenceStore } from './store/evidence-rows.js';
import type { EvidenceRecord } from './core/scorecard/evidence.js';
import { runtimeResultsFrom } from './core/scorecard/runtime-results.js';
import { currentSchema } from './store/data-version-file.js';
import { openConfiguredStore } from './store/open-store.js';
import { DataDirDisk } from './disk/data-dir-disk.js';
import { GarbageCollector } from './core/garbage-collector.js';
import { CronScheduler } from './core/cron-scheduler.js';
import { ReviewSweeper } from './core/review-sweeper.js';
import { loadKeyring } from './secrets/key-file.js';
import { MasterKeyRotation } from './secrets/master-key-rotation.js';
import { SecretSealer } from './secrets/sealer.js';
import { SlugArchives } from './kubernetes/slug-archives.js';
import { slugTokenKey } from './kubernetes/slug-token.js';

export { readConfig, type PlatformConfig } from './config.js';
export { inProcessEdge, type EdgeMaker } from './edge-wiring.js';

export interface RunningPlatform {
  apiUrl: string;
  routerUrl: string;
  /** The HTTPS listener's port, null when DOZEN_ROUTER_HTTPS_PORT=off. */
  routerHttpsPort: number | null;
  adminTokenFile: string;
  /** Stops the control plane; with `stopApps`, the edge and every app process too (`dozen down --stop-apps`). */
  stop(options?: { stopApps?: boolean }): Promise<void>;
}

/** The object graph of one control plane process, before anything listens. */
export interface PlatformGraph {
  deps: CoreDeps;
  autoCerts: AutoCertificates;
  /** Scheduled jobs (issue 17): started once the apps are resumed. */
  cron: CronScheduler;
  /** The daily check that destroys idle review apps (issue 17). */
  reviewSweeper: ReviewSweeper;
  /** The router and the app processes: in another process (`dozen up`), or `local` in this one. */
  edge: EdgeServices;
  local: LocalEdge | null;
  /** The edge in its own process (null: `local`). */
  remote: RemoteEdge | null;
  /** Whether the edge was running already (a restart or an upgrade of the control plane). */
  adopted: boolean;
  runtime: Runtime;
  logs: LogBus;
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

/**
 * The composition root: the only place that constructs adapters and hands them to the core.
 */
export async function buildGraph(config: PlatformConfig, logger: Logger = pino({ level: 'silent' }), makeEdge: EdgeMaker = inProcessEdge(config)): Promise<PlatformGraph> {
  // The master keys first: a start whose keys do not open the store refuses before it writes anything.
  const layout = dataDirLayout(config.dataDir);
  assertNoRestoreInProgress(layout);
  const { store, secrets } = await openStore(config, layout, logger);
  const dirs = prepareDataDir(layout);
  const addonLog = logger.child({ role: 'addons' });
  const addons = new AddonRegistry({ dataDir: dirs.root, addonsDir: dirs.addons, ...config.addons, log: (level, message) => addonLog[level](message), box: store.platformSecrets() });
  const backups = platformBackups(dirs, config.store, addons, config.backups);
  const logs = new LogBus({ dir: dirs.logs, maxLines: config.logLinesPerApp, maxBytes: config.logBytesPerApp });
  // The scorecard's runtime evidence (issue 18): the edge measures, the store keeps it per release.
  const evidence = new KyselyEvidenceStore(store.kysely);
  const evidenceLog = logger.child({ role: 'evidence' });
  const evidenceSink = { report: (record: EvidenceRecord) => void evidence.putEvidence(record).catch((error: unknown) => evidenceLog.warn({ err: error }, 'evidence not stored')) };
  const { edge, local, remote = null, adopted } = await makeEdge(logs, dirs, evidenceSink);
  const hello = edge.hello();
  const routerPort = { value: hello.routerPort || config.routerPort };
  const routerHttpsPort = { value: hello.routerHttpsPort || (config.routerHttpsPort ?? 0) };
  const apiPort = { value: config.apiPort };
  const drains = new LocalDrainHub({ ...config.drains, ownPorts: () => [apiPort.value, routerPort.value] });
  logs.tap((records) => drains.deliver(records));
  // Builds run in a sandbox of their own (its own state and cgroups), apart from the edge's apps.
  const sandbox = openSandbox(config.sandbox, join(dirs.sandbox, 'builds'), config.limits);
  // The build pipeline loads on the first build (a restarted platform may idle without one).
  const builder = new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(sandbox, buildLimits(config.buildMemoryBytes))));
  // DOZEN_RUNTIME=kubernetes (issue 19): apps run on a cluster; init containers fetch slugs from GET /slugs/:slug.
  const slugs = new SlugArchives(dirs.slugs, join(dirs.root, 'slug-archives'), slugTokenKey(join(dirs.root, 'slug-token.key')));
  // @kubernetes/client-node loads only then (an idle local platform's memory).
  const runtime = config.runtime.kind === 'kubernetes'
    ? (await import('./kubernetes-wiring.js')).kubernetesRuntime({ config: config.runtime, slugs, domains: store, domain: config.domain, logs, graceMs: config.graceMs, bootTimeoutMs: config.bootTimeoutMs, sizes: config.sizes })
    : edge.runtime;
  // The git adapter calls back into the core for each push: `deps` exists by the time one arrives.
  // It loads on the first git request (most platforms idle without one).
  const git = new LazyGitService(async () => {
    const { GitRepositories } = await import('./git/repositories.js');
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
    buildOutputs: new BuildOutputHub(),
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

/** What the core is told about the platform (CoreSettings), from the config. */
function coreSettings(config: PlatformConfig, routerPort: () => number): CoreDeps['settings'] {
  return {
    webUrl: (app) => webUrl(config, app, routerPort()),
    maxProcessesPerType: config.maxProcessesPerType,
    maxProcessesPerApp: config.maxProcessesPerApp,
    appUidBase: config.appUidBase,
    processDefaults: { graceSeconds: config.graceMs / 1000, bootTimeoutSeconds: config.bootTimeoutMs / 1000 },
    domain: config.domain,
    apiDomain: config.apiDomain,
    apiRedirect: config.apiHttpMode === 'redirect' && config.routerHttpsPort !== null,
    buildTimeoutMs: config.buildTimeoutMs,
    sizes: config.sizes,
    hostMemoryBytes: totalmem(),
    releasePhaseTimeoutMs: config.releasePhaseTimeoutMs,
    scorecard: config.scorecard,
    stack: config.stack,
  };
}

/** Automatic certificates, when the router serves HTTPS and a CA is configured (its scheduler is set once `deps` exists). */
function acmeFor(config: PlatformConfig, challenges: AcmeChallenges): CoreDeps['acme'] {
  if (config.routerHttpsPort === null || config.acme.directory === null) return null;
  const issuer = new AcmeClientIssuer({ directory: config.acme.directory, email: config.acme.email, challenges });
  return { issuer, retryBaseMs: config.acme.retryBaseMs, scheduler: { kick: () => undefined } };
}

/**
 * The master keys (DOZEN_SECRET_KEY or the key file) and the store they must open: checked before
 * anything is written; the key file of a first start is written only then.
 */
async function openStore(config: PlatformConfig, layout: DataDirLayout, logger: Logger): Promise<{ store: KyselyStore; secrets: SecretKeys }> {
  const keys = loadKeyring(config.secretKeys, layout.secretKey);
  const sealer = new SecretSealer(keys.keyring);
  let created = false;
  const keysAccepted = () => {
    mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    created = keys.create();
  };
  // A data dir a newer Dozen wrote is refused before anything is written; VERSION follows the migrations.
  const store = await openConfiguredStore(config.store, layout.root, DOZEN_VERSION, { sealer, keysAccepted });
  const source = created ? `the key file ${layout.secretKey}, created now` : keys.keyring.source;
  logger.info({ secretKeyId: sealer.primaryKeyId }, `Secrets at rest: master key id ${sealer.primaryKeyId} (${source})`);
  return { store, secrets: new MasterKeyRotation({ keyring: keys.keyring, keyFile: keys.keyFile, rows: store, sealer }) };
}

/** The built dashboard (packages/dashboard/dist, next to this package), served by the API at `/`. */
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

export interface StartOptions {
  makeEdge?: EdgeMaker;
  /** `dozen down` was asked for (the API has answered): stop as on SIGTERM, the apps too with `stopApps`. */
  onDown?: (stopApps: boolean) => void;
}

/**
 * Starts the control plane (API, builder, the core) in this process, and drives the edge (router
 * and app processes) of the data dir: the running one is adopted, so its apps keep serving across
 * a restart or an upgrade of the control plane; otherwise one is started (docs/decisions.md,
 * "Apps outlive the control plane").
 */
export async function startPlatform(config: PlatformConfig, logger: Logger, options: StartOptions = {}): Promise<RunningPlatform> {
  const graph = await buildGraph(config, logger, options.makeEdge ?? edgeProcess());
  const { deps, autoCerts, edge, local, remote, adopted, logs, drains, runtime, sandbox, store, addons, git, adminTokenFile, routerPort, routerHttpsPort, apiPort, slugs } = graph;
  const shutdown = new AbortController();
  // X-Forwarded-For is believed from the router only (loopback), and from the proxies the router trusts.
  const trustProxy = ['loopback', ...config.router.trustedProxies];
  const api = await buildApi({ deps, logger: logger.child({ role: 'api' }), shutdown: shutdown.signal, metrics: [edge.metrics], metricsToken: config.metricsToken, trustProxy, runPingMs: Math.max(250, Math.min(20_000, Math.floor(config.router.idleTimeoutMs / 3))), down: options.onDown ?? null, dashboardDir: DASHBOARD_DIR, slugs });
  const stop = async (options: { stopApps?: boolean } = {}) => {
    const stopApps = options.stopApps === true || local !== null;
    shutdown.abort();
    autoCerts.stop();
    deps.cron.stop();
    graph.reviewSweeper.stop();
    await deps.gc.stop();
    graph.backups.stop();
    await api.close();
    await git.close();
    if (stopApps) await (local ? local.close() : edge.stopApps().catch(() => undefined));
    // Without stopApps the edge keeps the apps running and serving; this process only lets go.
    await runtime.shutdown();
    sandbox.close();
    // Backing services stop after the apps that use them; apps that outlive this process keep them.
    await addons.close({ stopServers: stopApps });
    logs.close();
    await drains.shutdown();
    await store.close();
  };

  let apps: number;
  try {
    await api.ready();
    apiPort.value = await listenOn(api.server, config.apiPort, config.listenHost, 'PORT');
    if (local !== null) await local.listen();
    if (config.apiDomain !== null) edge.setApiEndpoint({ host: loopbackOf(config.listenHost), port: apiPort.value });
    // Where the router listens (an in-process edge has just bound its ports; an edge process had).
    const { routerPort: http, routerHttpsPort: https } = edge.hello();
    routerPort.value = http;
    routerHttpsPort.value = https;
    // Backing services before the apps that use them.
    await addons.resume();
    apps = await resumeApps(deps);
    await resumeDrains(deps);
    autoCerts.kick();
    deps.gc.kick();
    await graph.cron.start();
    graph.reviewSweeper.start();
    await graph.backups.start(deps);
  } catch (error) {
    // Whatever did start is stopped again, so that a failed start leaves nothing running.
    await stop({ stopApps: !adopted });
    throw error;
  }
  const platform: RunningPlatform = {
    apiUrl: `http://${urlHost(config.listenHost)}:${apiPort.value}`,
    routerUrl: `http://*.${config.domain}:${routerPort.value}`,
    routerHttpsPort: config.routerHttpsPort === null ? null : routerHttpsPort.value,
    adminTokenFile,
    stop,
  };
  logEdge(logger, edge, adopted, config);
  // An edge that dies (kill -9, a crash) takes its apps along: a new one is started and told everything again.
  remote?.stayConnected(
    (why) => logger.error({ edge: why }, `Edge: ${why}`),
    async (hello) => {
      routerPort.value = hello.routerPort;
      routerHttpsPort.value = hello.routerHttpsPort;
      if (config.apiDomain !== null) edge.setApiEndpoint({ host: loopbackOf(config.listenHost), port: apiPort.value });
      const count = await resumeApps(deps);
      logger.warn({ edgePid: hello.pid, apps: count }, `Started a new edge (pid ${hello.pid}): ${count} apps are starting again`);
    },
  );
  const { notes, pid: edgePid } = edge.hello();
  logger.info(
    { api: platform.apiUrl, apiDomain: config.apiDomain, router: platform.routerUrl, routerPort: routerPort.value, routerHttpsPort: platform.routerHttpsPort, adminTokenFile, dataDir: config.dataDir, apps, sandbox: notes.sandbox.kind, network: notes.network.isolated ? 'isolated' : 'host', edgePid, edge: adopted ? 'adopted' : 'started' },
    `Dozen is up: API ${platform.apiUrl}, apps at ${webUrl(config, '<app>', routerPort.value)}, admin token in ${adminTokenFile}`,
  );
  return platform;
}

/**
 * `dozen up`: start, then stop gracefully on SIGTERM/SIGINT and exit 0. The apps keep running in
 * the edge; `dozen down --stop-apps` stops them too.
 */
export async function up(): Promise<void> {
  const config = readConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'dozen', pid: process.pid } });
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  let stopping = false;
  const stop = (reason: string, stopApps: boolean) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, stopApps }, stopApps ? 'stopping: no new requests, app processes get SIGTERM, then the edge stops' : 'stopping the control plane: the apps keep running in the edge');
    platform.stop({ stopApps }).then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        logger.flush(() => process.exit(1));
      },
    );
  };
  const platform = await startPlatform(config, logger, { onDown: (stopApps) => stop('dozen down', stopApps) });
  process.on('SIGTERM', () => stop('SIGTERM', false));
  process.on('SIGINT', () => stop('SIGINT', false));
}

/** `dozen backups:restore FILE`: offline, onto the empty data dir of DOZEN_DATA_DIR (backup-wiring.ts). */
export const restore = (archive: string, say: (line: string) => void): Promise<{ id: string; apps: number }> => restoreInto(archive, readConfig(), say);

/** Creates the parts of the data dir the platform writes from the start (the layout: contracts/node/data-dir.ts). */
function prepareDataDir(dirs: DataDirLayout): DataDirLayout {
  mkdirSync(dirs.root, { recursive: true, mode: 0o700 });
  // Sources and build scratch left by a stop in the middle of an upload are never resumed.
  rmSync(dirs.sources, { recursive: true, force: true });
  rmSync(dirs.builds, { recursive: true, force: true });
  rmSync(dirs.runtimesScratch, { recursive: true, force: true });
  for (const dir of [dirs.sources, dirs.builds, dirs.slugs, dirs.cache, dirs.runtimes, dirs.logs]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Node.js versions and package managers are public downloads, bound read-only into every app's
  // sandboxed builds and processes: their users must be able to enter the directory.
  chmodSync(dirs.runtimes, 0o755);
  return dirs;
}

async function ensureAdminToken(file: string, deps: CoreDeps): Promise<string> {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch {
    token = generateToken();
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  await issueAdminToken(deps, token);
  return file;
}

function webUrl(config: PlatformConfig, app: string, routerPort: number): string {
  return `http://${app}.${config.domain}${routerPort === 80 ? '' : `:${routerPort}`}`;
}

function urlHost(host: string): string {
  const reached = loopbackOf(host);
  return reached.includes(':') ? `[${reached}]` : reached;
}

/** The host's clock and timers: the core takes time only from here. */
const systemClock: Clock = {
  now: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
