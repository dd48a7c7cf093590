import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { pino } from 'pino';
import { DozenError } from '@dozen/contracts/errors';
import { dataDirLayout, slugPath, type DataDirLayout } from '@dozen/contracts/node';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { readConfig, type PlatformConfig } from './config.js';
import type { LogSink } from './core/ports/logs.js';
import { defaultBackoff } from './core/restart-backoff.js';
import { API_SITE } from './core/use-cases/api-domain.js';
import { EdgeServer } from './edge-link/edge-server.js';
import type { ApiEndpoint, EdgeServices } from './edge-link/edge-services.js';
import { LogForwarder } from './edge-link/log-forwarder.js';
import { EvidenceForwarder } from './edge-link/evidence-forwarder.js';
import type { EvidenceSink } from './core/scorecard/evidence.js';
import { PROTOCOL } from './edge-link/protocol.js';
import { HostTable } from './router/host-table.js';
import { createRouter, type Router } from './router/http-router.js';
import { MemoryRouteTable } from './router/route-table.js';
import type { RouterLimits } from './router/router-context.js';
import { RouterMetrics } from './router/router-metrics.js';
import { TlsTable } from './router/tls-table.js';
import { LocalRuntime } from './runtime/local/local-runtime.js';
import { edgeMetrics } from './metrics-wiring.js';
import { openNetwork } from './sandbox/open-network.js';
import { openSandbox } from './sandbox/open-sandbox.js';
import type { AppNetwork } from './shared-ports/app-network.js';
import type { Sandbox } from './shared-ports/sandbox.js';

/**
 * The second composition root: the **edge**, the part of the platform that apps need while they
 * run (the router, the app processes and their sandboxes and networks). `dozen up` runs it as a
 * process of its own that outlives the control plane (edgeMain, started by edge-link/edge-launcher.ts);
 * `buildGraph` holds one in its own process (tests).
 */
export interface LocalEdge {
  services: EdgeServices;
  table: MemoryRouteTable;
  hosts: HostTable;
  tls: TlsTable;
  routerMetrics: RouterMetrics;
  runtime: LocalRuntime;
  sandbox: Sandbox;
  network: AppNetwork;
  router: Router;
  /** Listens on the router's ports (once). */
  listen(): Promise<void>;
  /** Stops every app process (SIGTERM, grace, SIGKILL) and the router. */
  close(): Promise<void>;
}

export async function buildEdge(config: PlatformConfig, dirs: DataDirLayout, logs: LogSink, stopped: () => void = () => undefined, evidence?: EvidenceSink): Promise<LocalEdge> {
  const routerPort = { value: config.routerPort };
  const routerHttpsPort = { value: config.routerHttpsPort ?? 0 };
  const startedAt = new Date().toISOString();
  const table = new MemoryRouteTable();
  const hosts = new HostTable(config.domain);
  const tls = new TlsTable((app, message) => logs.append({ app, source: 'router', process: 'router', message: `at=error code=TLS desc="${message}"` }));
  const routerMetrics = new RouterMetrics();
  const sandbox = openSandbox(config.sandbox, dirs.sandbox, config.limits);
  const network = await openNetwork(config.network.isolation, sandbox.kind === 'bubblewrap', config.network.range, () => ({ host: loopbackOf(config.listenHost), port: routerPort.value }));
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
    ...(evidence ? { evidence } : {}),
  });
  const https = config.routerHttpsPort === null ? {} : { tls, publicHttpsPort: () => routerHttpsPort.value };
  const router = createRouter({ table, hosts, logs, metrics: routerMetrics, publicPort: () => routerPort.value, ...https, limits: routerLimits(config), trustedProxies: config.router.trustedProxies });
  const metrics = edgeMetrics(config.metricsStepSeconds, routerMetrics, runtime);
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      metrics.stop();
      router.server.close();
      router.httpsServer?.close();
      router.closeIdleConnections();
      await runtime.shutdown();
      sandbox.close();
      router.closeAllConnections();
    })();
    return closing;
  };
  const services: EdgeServices = {
    runtime,
    domains: hosts,
    tls,
    metrics: metrics.source,
    series: metrics.series,
    setApiEndpoint: (endpoint) => setApiEndpoint(table, endpoint),
    hello: () => ({
      protocol: PROTOCOL,
      version: DOZEN_VERSION,
      pid: process.pid,
      startedAt,
      routerPort: routerPort.value,
      routerHttpsPort: routerHttpsPort.value,
      notes: { sandbox: { kind: sandbox.kind, note: sandbox.note }, network: { isolated: network.isolated, note: network.note }, limits: sandbox.limitsNote },
    }),
    stopApps: async () => {
      await close();
      stopped();
    },
  };
  const listen = async () => {
    routerPort.value = await listenOn(router.server, config.routerPort, config.listenHost, 'DOZEN_ROUTER_PORT');
    if (router.httpsServer !== null) routerHttpsPort.value = await listenOn(router.httpsServer, config.routerHttpsPort ?? 0, config.listenHost, 'DOZEN_ROUTER_HTTPS_PORT');
  };
  return { services, table, hosts, tls, routerMetrics, runtime, sandbox, network, router, listen, close };
}

/** DOZEN_API_DOMAIN: the router proxies that name to the API like an app's web process. */
function setApiEndpoint(table: MemoryRouteTable, endpoint: ApiEndpoint | null): void {
  table.removeEndpoint(API_SITE.name, 'api');
  if (endpoint !== null) table.addEndpoint(API_SITE.name, { id: 'api', process: 'api', host: endpoint.host, port: endpoint.port });
}

/** `dozen serve router` without --stop-apps: a second signal within this confirms the stop of every app. */
const CONFIRM_MS = 10_000;

export interface EdgeMainOptions {
  /**
   * What SIGTERM and SIGINT do. true (the detached edge of `dozen up`, and `dozen serve router
   * --stop-apps`): every app process is stopped (SIGTERM, grace, SIGKILL), then the router, and the
   * process exits 0. false (`dozen serve router`): the signal is refused with a warning and the edge
   * keeps serving, since its app processes cannot outlive it; the same signal again within 10 s
   * confirms (docs/decisions.md, "The router role").
   */
  stopAppsOnSignal?: boolean;
}

/**
 * The edge process: started detached by a control plane (edge-link/edge-launcher.ts) with the
 * platform's environment, or in the foreground as the router role (`dozen serve router`, issue 19);
 * it listens on the router's ports and on its socket in the data dir, and runs until `stopApps`
 * or a signal (see EdgeMainOptions: a service's stop that should spare the apps of `dozen up`
 * signals only the control plane, see docs/production.md).
 */
export async function edgeMain(options: EdgeMainOptions = {}): Promise<void> {
  const config = readConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'dozen-edge', pid: process.pid } });
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  const dirs = dataDirLayout(config.dataDir);
  mkdirSync(dirs.root, { recursive: true, mode: 0o700 });
  mkdirSync(`${dirs.root}/run`, { recursive: true, mode: 0o700 });
  const forwarder = new LogForwarder();
  const exit = (code: number) => {
    rmSync(dirs.edgePid, { force: true });
    logger.flush(() => process.exit(code));
  };
  const evidence = new EvidenceForwarder();
  const edge = await buildEdge(config, dirs, forwarder, () => setImmediate(() => exit(0)), evidence);
  await edge.listen();
  const onControl = (connected: boolean) => logger.info({ connected }, connected ? 'a control plane connected' : 'the control plane disconnected: apps keep running');
  const server = new EdgeServer(edge.services, { forwarder, evidence, onControl });
  await server.listen(dirs.edgeSocket);
  writeFileSync(dirs.edgePid, `${process.pid}\n`, { mode: 0o600 });
  const hello = edge.services.hello();
  logger.info({ ...hello, sandbox: edge.sandbox.kind, network: edge.network.isolated ? 'isolated' : 'host' }, `Dozen edge is up: router on ${hello.routerPort}, socket ${dirs.edgeSocket}`);
  let refusedAt = -Infinity;
  const stop = (signal: NodeJS.Signals) => {
    if (options.stopAppsOnSignal === false && Date.now() - refusedAt > CONFIRM_MS) {
      refusedAt = Date.now();
      logger.warn({ signal }, `${signal} refused: the app processes run in this process and would stop with it. Send it again within ${CONFIRM_MS / 1000} s to stop every app, stop them with \`dozen down --stop-apps\`, or start the router with --stop-apps`);
      return;
    }
    logger.info({ signal }, 'stopping the edge: app processes get SIGTERM');
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
    server.close();
    edge.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

export function routerLimits(config: PlatformConfig): RouterLimits {
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

export function listenOn(server: Server, port: number, host: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError(variable, port, error)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function listenError(variable: string, port: number, error: unknown): DozenError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? 'the port is already in use' : code === 'EACCES' ? 'this user may not listen on it' : (error as Error).message;
  return new DozenError('PLATFORM_CONFIG_INVALID', `Cannot listen on ${variable}=${port}: ${why}.`, { hint: `Stop what uses the port, or set ${variable} to another port (0 picks a free one).` });
}

/** The address the host reaches a server listening on `host` at. */
export function loopbackOf(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
