import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pino, type Logger } from 'pino';
import { DozenError } from '@dozen/contracts/errors';
import { adminTokenPath } from '@dozen/contracts/node';
import { buildApi } from './api/server.js';
import { defaultBackoff } from './core/restart-backoff.js';
import { nodeBuildpack } from './build/buildpacks/node/node-buildpack.js';
import { procfileBuildpack } from './build/buildpacks/procfile/procfile-buildpack.js';
import { TarIntake } from './build/intake/tar-intake.js';
import { SlugBuilder } from './build/slug-builder.js';
import { GitRepositories } from './git/repositories.js';
import { readConfig, type PlatformConfig } from './config.js';
import { AppLocks } from './core/app-locks.js';
import type { CoreDeps } from './core/deps.js';
import { receivePush } from './core/use-cases/pushes.js';
import { resumeApps } from './core/use-cases/startup.js';
import { generateToken, issueAdminToken } from './core/use-cases/tokens.js';
import { BuildOutputHub } from './logs/build-output-hub.js';
import { LogBus } from './logs/log-bus.js';
import { createRouter } from './router/http-router.js';
import { MemoryRouteTable } from './router/route-table.js';
import { LocalRuntime } from './runtime/local/local-runtime.js';
import type { KyselyStore } from './store/kysely-store.js';
import { openSqliteStore } from './store/sqlite.js';

export { readConfig, type PlatformConfig } from './config.js';

export interface RunningPlatform {
  apiUrl: string;
  routerUrl: string;
  adminTokenFile: string;
  stop(): Promise<void>;
}

/** The object graph of one platform process, before anything listens. */
export interface PlatformGraph {
  deps: CoreDeps;
  table: MemoryRouteTable;
  logs: LogBus;
  runtime: LocalRuntime;
  store: KyselyStore;
  git: GitRepositories;
  adminTokenFile: string;
  /** The router's port once it listens (for app URLs). */
  routerPort: { value: number };
}

/**
 * The composition root: the only place that constructs adapters and hands them to the core.
 */
export async function buildGraph(config: PlatformConfig): Promise<PlatformGraph> {
  const dirs = prepareDataDir(config.dataDir);
  const store = await openSqliteStore(config.store.file);
  const logs = new LogBus({ linesPerApp: config.logLinesPerApp });
  const table = new MemoryRouteTable();
  const builder = new SlugBuilder({ slugsDir: dirs.slugs, cacheDir: dirs.cache, buildpacks: [nodeBuildpack, procfileBuildpack], nodeBinDir: config.nodeBinDir, timeoutMs: config.buildTimeoutMs });
  const runtime = new LocalRuntime({
    routes: table,
    logs,
    slugDir: (appId, slugId) => builder.slugDir(appId, slugId),
    nodeBinDir: config.nodeBinDir,
    graceMs: config.graceMs,
    bootTimeoutMs: config.bootTimeoutMs,
    backoff: defaultBackoff,
  });
  const routerPort = { value: config.routerPort };
  // The git adapter calls back into the core for each push: `deps` exists by the time one arrives.
  const git = new GitRepositories({
    dir: join(config.dataDir, 'git'),
    socketPath: join(config.dataDir, 'run', 'git-hooks.sock'),
    nodeBinDir: dirname(process.execPath),
    maxPushBytes: config.gitMaxPushBytes,
    receive: (push) => receivePush(deps, push),
  });
  const deps: CoreDeps = {
    store,
    runtime,
    intake: new TarIntake(dirs.sources),
    builder,
    buildOutputs: new BuildOutputHub(),
    logs,
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
    locks: new AppLocks(),
    settings: { webUrl: (app) => webUrl(config, app, routerPort.value), maxProcessesPerType: config.maxProcessesPerType },
    git,
  };
  const adminTokenFile = await ensureAdminToken(config.dataDir, deps);
  return { deps, table, logs, runtime, store, git, adminTokenFile, routerPort };
}

/** Starts every role in this process: API, router, builder and runtime. */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const graph = await buildGraph(config);
  const { deps, table, logs, runtime, store, git, adminTokenFile, routerPort } = graph;
  const shutdown = new AbortController();
  const api = await buildApi({ deps, logger: logger.child({ role: 'api' }), shutdown: shutdown.signal });
  const router = createRouter({ table, domain: config.domain, logs, publicPort: () => routerPort.value, requestTimeoutMs: 30_000 });
  const stop = async () => {
    shutdown.abort();
    router.close();
    router.closeIdleConnections();
    await api.close();
    await git.close();
    await runtime.shutdown();
    router.closeAllConnections();
    await store.close();
  };

  let apiPort: number;
  let apps: number;
  try {
    await api.ready();
    apiPort = await listen(api.server, config.apiPort, config.listenHost, 'PORT');
    routerPort.value = await listen(router, config.routerPort, config.listenHost, 'DOZEN_ROUTER_PORT');
    apps = await resumeApps(deps);
  } catch (error) {
    // Whatever did start is stopped again, so that a failed start leaves nothing running.
    await stop();
    throw error;
  }
  const platform: RunningPlatform = {
    apiUrl: `http://${urlHost(config.listenHost)}:${apiPort}`,
    routerUrl: `http://*.${config.domain}:${routerPort.value}`,
    adminTokenFile,
    stop,
  };
  logger.info(
    { api: platform.apiUrl, router: platform.routerUrl, routerPort: routerPort.value, adminTokenFile, dataDir: config.dataDir, apps },
    `Dozen is up: API ${platform.apiUrl}, apps at ${webUrl(config, '<app>', routerPort.value)}, admin token in ${adminTokenFile}`,
  );
  return platform;
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

function prepareDataDir(dataDir: string): { sources: string; slugs: string; cache: string } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dirs = { sources: join(dataDir, 'tmp', 'sources'), slugs: join(dataDir, 'slugs'), cache: join(dataDir, 'cache') };
  // Sources left by a stop in the middle of an upload are never resumed.
  rmSync(dirs.sources, { recursive: true, force: true });
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dirs;
}

async function ensureAdminToken(dataDir: string, deps: CoreDeps): Promise<string> {
  const file = adminTokenPath(dataDir);
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
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
