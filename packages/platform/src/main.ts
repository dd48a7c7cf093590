import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { DozenError } from '@dozen/contracts/errors';
import { dataDirLayout, slugPath, type DataDirLayout } from '@dozen/contracts/node';
import { AddonRegistry } from './addons/addon-registry.js';
import { assertNoRestoreInProgress, platformBackups, restoreInto, type PlatformBackups } from './backup-wiring.js';
import { buildApi } from './api/server.js';
import { defaultBackoff } from './core/restart-backoff.js';
import type { CommandRunner } from './build/command-runner.js';
import type { AppNetwork } from './shared-ports/app-network.js';
import { LazyBuilder } from './build/lazy-builder.js';
import { buildLimits, sandboxedRunner } from './build/sandboxed-runner.js';
import { TarIntake } from './build/intake/tar-intake.js';
import type { SlugBuilder } from './build/slug-builder.js';
import { LazyGitService } from './git/lazy-git-service.js';
import { readConfig, type PlatformConfig } from './config.js';
import { AppLocks } from './core/app-locks.js';
import { BuildQueue } from './core/build-queue.js';
import type { CoreDeps } from './core/deps.js';
import { resumeDrains } from './core/use-cases/drains.js';
import type { Clock } from './core/ports/clock.js';
import type { SecretKeys } from './core/ports/secret-keys.js';
import type { Sandbox } from './shared-ports/sandbox.js';
import { receivePush } from './core/use-cases/pushes.js';
import { resumeApps } from './core/use-cases/startup.js';
import { generateToken, issueAdminToken } from './core/use-cases/tokens.js';
import { BuildOutputHub } from './logs/build-output-hub.js';
import { LocalDrainHub } from './logs/drains/drain-hub.js';
import { LogBus } from './logs/log-bus.js';
import { HostTable } from './router/host-table.js';
import { createRouter } from './router/http-router.js';
import { TlsTable } from './router/tls-table.js';
import { AcmeClientIssuer } from './acme/acme-issuer.js';
import { AutoCertificates } from './core/auto-certificates.js';
import { API_SITE } from './core/use-cases/api-domain.js';
import { MemoryRouteTable } from './router/route-table.js';
import type { RouterLimits } from './router/router-context.js';
import { RouterMetrics } from './router/router-metrics.js';
import { LocalRuntime } from './runtime/local/local-runtime.js';
import { openSandbox } from './sandbox/open-sandbox.js';
import { openNetwork } from './sandbox/open-network.js';
import type { KyselyStore } from './store/kysely-store.js';
import { openSqliteStore } from './store/sqlite.js';
import { loadKeyring } from './secrets/key-file.js';
import { MasterKeyRotation } from './secrets/master-key-rotation.js';
import { SecretSealer } from './secrets/sealer.js';

export { readConfig, type PlatformConfig } from './config.js';

export interface RunningPlatform {
  apiUrl: string;
  routerUrl: string;
  /** The HTTPS listener's port, null when DOZEN_ROUTER_HTTPS_PORT=off. */
  routerHttpsPort: number | null;
  adminTokenFile: string;
  stop(): Promise<void>;
}

/** The object graph of one platform process, before anything listens. */
export interface PlatformGraph {
  deps: CoreDeps;
  autoCerts: AutoCertificates;
  table: MemoryRouteTable;
  hosts: HostTable;
  tls: TlsTable;
  routerMetrics: RouterMetrics;
  logs: LogBus;
  drains: LocalDrainHub;
  runtime: LocalRuntime;
  network: AppNetwork;
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
}

/**
 * The composition root: the only place that constructs adapters and hands them to the core.
 */
export async function buildGraph(config: PlatformConfig, logger: Logger = pino({ level: 'silent' })): Promise<PlatformGraph> {
  // The master keys first: a start whose keys do not open the store refuses before it writes anything.
  const layout = dataDirLayout(config.dataDir);
  assertNoRestoreInProgress(layout);
  const { store, secrets } = await openStore(config, layout, logger);
  const dirs = prepareDataDir(layout);
  const addonLog = logger.child({ role: 'addons' });
  const addons = new AddonRegistry({ dataDir: dirs.root, addonsDir: dirs.addons, ...config.addons, log: (level, message) => addonLog[level](message), box: store.platformSecrets() });
  const backups = platformBackups(dirs, config.store.file, addons, config.backups);
  const logs = new LogBus({ dir: dirs.logs, maxLines: config.logLinesPerApp, maxBytes: config.logBytesPerApp });
  const routerPort = { value: config.routerPort };
  const routerHttpsPort = { value: config.routerHttpsPort ?? 0 };
  const apiPort = { value: config.apiPort };
  const drains = new LocalDrainHub({ ...config.drains, ownPorts: () => [apiPort.value, routerPort.value] });
  logs.tap((records) => drains.deliver(records));
  const table = new MemoryRouteTable();
  const hosts = new HostTable(config.domain);
  const tls = new TlsTable((app, message) => logs.append({ app, source: 'router', process: 'router', message: `at=error code=TLS desc="${message}"` }));
  const routerMetrics = new RouterMetrics();
  const sandbox = openSandbox(config.sandbox, dirs.sandbox, config.limits);
  const router = () => ({ host: loopbackOf(config.listenHost), port: routerPort.value });
  const network = await openNetwork(config.network.isolation, sandbox.kind === 'bubblewrap', config.network.range, router);
  // The build pipeline loads on the first build (a restarted platform may idle without one).
  const builder = new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(sandbox, buildLimits(config.buildMemoryBytes))));
  const runtime = new LocalRuntime({
    routes: table,
    logs,
    sandbox,
    network,
    slugDir: (appId, slugId) => slugPath(dirs, appId, slugId),
    nodeBinDir: config.nodeBinDir,
    graceMs: config.graceMs,
    bootTimeoutMs: config.bootTimeoutMs,
    sizes: config.sizes,
    memorySampleMs: config.memorySampleMs,
    backoff: { ...defaultBackoff, baseMs: config.crashBackoff.baseMs, capMs: config.crashBackoff.capMs },
  });
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
    domainRoutes: hosts,
    tlsRoutes: tls,
    acme: acmeFor(config, tls),
    git,
    secrets,
    backups: backups.deps,
  };
  // The scheduler of automatic certificates works on `deps`, and is reached through it.
  const autoCerts = new AutoCertificates(deps);
  if (deps.acme !== null) deps.acme.scheduler = autoCerts;
  const adminTokenFile = await ensureAdminToken(dirs.adminToken, deps);
  return { deps, autoCerts, table, hosts, tls, routerMetrics, logs, drains, runtime, sandbox, network, store, addons, git, backups, adminTokenFile, routerPort, routerHttpsPort, apiPort };
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
  };
}

/** Automatic certificates, when the router serves HTTPS and a CA is configured (its scheduler is set once `deps` exists). */
function acmeFor(config: PlatformConfig, tls: TlsTable): CoreDeps['acme'] {
  if (config.routerHttpsPort === null || config.acme.directory === null) return null;
  const issuer = new AcmeClientIssuer({ directory: config.acme.directory, email: config.acme.email, challenges: tls });
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
  const store = await openSqliteStore(config.store.file, { sealer, keysAccepted });
  const source = created ? `the key file ${layout.secretKey}, created now` : keys.keyring.source;
  logger.info({ secretKeyId: sealer.primaryKeyId }, `Secrets at rest: master key id ${sealer.primaryKeyId} (${source})`);
  return { store, secrets: new MasterKeyRotation({ keyring: keys.keyring, keyFile: keys.keyFile, rows: store, sealer }) };
}

/** Starts every role in this process: API, router, builder and runtime. */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const graph = await buildGraph(config, logger);
  const { deps, autoCerts, table, hosts, tls, routerMetrics, logs, drains, runtime, sandbox, network, store, addons, git, adminTokenFile, routerPort, routerHttpsPort, apiPort } = graph;
  const shutdown = new AbortController();
  // X-Forwarded-For is believed from the router only (loopback), and from the proxies the router trusts.
  const trustProxy = ['loopback', ...config.router.trustedProxies];
  const api = await buildApi({ deps, logger: logger.child({ role: 'api' }), shutdown: shutdown.signal, metrics: [routerMetrics], metricsToken: config.metricsToken, trustProxy, runPingMs: Math.max(250, Math.min(20_000, Math.floor(config.router.idleTimeoutMs / 3))) });
  const https = config.routerHttpsPort === null ? {} : { tls, publicHttpsPort: () => routerHttpsPort.value };
  const router = createRouter({ table, hosts, logs, metrics: routerMetrics, publicPort: () => routerPort.value, ...https, limits: routerLimits(config), trustedProxies: config.router.trustedProxies });
  const stop = async () => {
    shutdown.abort();
    autoCerts.stop();
    graph.backups.stop();
    router.server.close();
    router.httpsServer?.close();
    router.closeIdleConnections();
    await api.close();
    await git.close();
    await runtime.shutdown();
    sandbox.close();
    // Backing services stop after the apps that use them.
    await addons.close();
    router.closeAllConnections();
    logs.close();
    await drains.shutdown();
    await store.close();
  };

  let apps: number;
  try {
    await api.ready();
    apiPort.value = await listen(api.server, config.apiPort, config.listenHost, 'PORT');
    // DOZEN_API_DOMAIN: the router proxies that name to the API like an app's web process.
    if (config.apiDomain !== null) table.addEndpoint(API_SITE.name, { id: 'api', process: 'api', host: loopbackOf(config.listenHost), port: apiPort.value });
    routerPort.value = await listen(router.server, config.routerPort, config.listenHost, 'DOZEN_ROUTER_PORT');
    if (router.httpsServer !== null) routerHttpsPort.value = await listen(router.httpsServer, config.routerHttpsPort ?? 0, config.listenHost, 'DOZEN_ROUTER_HTTPS_PORT');
    // Backing services before the apps that use them.
    await addons.resume();
    apps = await resumeApps(deps);
    await resumeDrains(deps);
    autoCerts.kick();
    await graph.backups.start(deps);
  } catch (error) {
    // Whatever did start is stopped again, so that a failed start leaves nothing running.
    await stop();
    throw error;
  }
  const platform: RunningPlatform = {
    apiUrl: `http://${urlHost(config.listenHost)}:${apiPort.value}`,
    routerUrl: `http://*.${config.domain}:${routerPort.value}`,
    routerHttpsPort: router.httpsServer === null ? null : routerHttpsPort.value,
    adminTokenFile,
    stop,
  };
  if (sandbox.kind === 'none') logger.warn({ sandbox: sandbox.kind }, `App processes run ${sandbox.note}`);
  logger[network.isolated ? 'info' : 'warn']({ network: network.isolated ? 'isolated' : 'host' }, `App networks: ${network.note}`);
  // Said as a warning when nothing is enforced, as the unsandboxed fallback is.
  if (sandbox.limitsNote.startsWith('no cgroups')) logger.warn({ limits: sandbox.limitsNote }, `Process limits: ${sandbox.limitsNote}`);
  else logger.info({ limits: sandbox.limitsNote }, `Process limits: ${sandbox.limitsNote}`);
  logger.info(
    { api: platform.apiUrl, apiDomain: config.apiDomain, router: platform.routerUrl, routerPort: routerPort.value, routerHttpsPort: platform.routerHttpsPort, adminTokenFile, dataDir: config.dataDir, apps, sandbox: sandbox.kind, network: network.isolated ? 'isolated' : 'host' },
    `Dozen is up: API ${platform.apiUrl}, apps at ${webUrl(config, '<app>', routerPort.value)}, admin token in ${adminTokenFile}`,
  );
  return platform;
}

function routerLimits(config: PlatformConfig): RouterLimits {
  const r = config.router;
  return {
    head: { maxLineBytes: r.maxLineBytes, maxHeadBytes: r.maxHeadBytes, maxHeaders: 1000 },
    headTimeoutMs: r.headTimeoutMs,
    keepAliveTimeoutMs: r.keepAliveTimeoutMs,
    firstByteTimeoutMs: r.firstByteTimeoutMs,
    idleTimeoutMs: r.idleTimeoutMs,
    maxConnections: r.maxConnections,
  };
}

function listen(server: Server, port: number, host: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError(variable, port, error)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** `dozen up`: start, then stop gracefully on SIGTERM/SIGINT and exit 0. */
export async function up(): Promise<void> {
  const config = readConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'dozen', pid: process.pid } });
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  const platform = await startPlatform(config, logger);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, app processes get SIGTERM');
    platform.stop().then(
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
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** `dozen backups:restore FILE`: offline, onto the empty data dir of DOZEN_DATA_DIR (backup-wiring.ts). */
export const restore = (archive: string, say: (line: string) => void): Promise<{ id: string; apps: number }> => restoreInto(archive, readConfig(), say);

/** The builder: built-in buildpacks (the ordered registry), the runtime cache, the one command runner. */
async function createBuilder(config: PlatformConfig, dirs: DataDirLayout, runner: CommandRunner): Promise<SlugBuilder> {
  const [{ SlugBuilder }, { nodeBuildpack }, { createNodeToolchain }, { procfileBuildpack }] = await Promise.all([
    import('./build/slug-builder.js'),
    import('./build/buildpacks/node/node-buildpack.js'),
    import('./build/buildpacks/node/node-toolchain.js'),
    import('./build/buildpacks/procfile/procfile-buildpack.js'),
  ]);
  const toolchain = createNodeToolchain(dirs, config.nodeBinDir);
  const { npm } = toolchain;
  return new SlugBuilder({
    slugsDir: dirs.slugs,
    cacheDir: dirs.cache,
    workDir: dirs.builds,
    buildpacks: [nodeBuildpack(toolchain), procfileBuildpack],
    buildpackDirs: config.buildpackDirs,
    sharedReads: [dirs.runtimes, dirname(dirname(npm[1] ?? npm[0])), ...(config.buildCaFile ? [config.buildCaFile] : [])],
    nodeBinDir: config.nodeBinDir,
    caFile: config.buildCaFile,
    stack: config.stack,
    timeoutMs: config.buildTimeoutMs,
    runner,
  });
}

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

function listenError(variable: string, port: number, error: unknown): DozenError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? 'the port is already in use' : code === 'EACCES' ? 'this user may not listen on it' : (error as Error).message;
  return new DozenError('PLATFORM_CONFIG_INVALID', `Cannot listen on ${variable}=${port}: ${why}.`, { hint: `Stop what uses the port, or set ${variable} to another port (0 picks a free one).` });
}

function urlHost(host: string): string {
  const reached = loopbackOf(host);
  return reached.includes(':') ? `[${reached}]` : reached;
}

/** The address the host reaches a server listening on `host` at. */
function loopbackOf(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** The host's clock and timers: the core takes time only from here. */
const systemClock: Clock = {
  now: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
