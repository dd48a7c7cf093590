import type { Logger } from 'pino';
import type { PlatformConfig } from '../config.js';
import { buildApi } from '../api/server.js';
import { resumeDrains } from '../core/use-cases/drains.js';
import { resumeApps } from '../core/use-cases/startup.js';
import { listenOn, loopbackOf } from '../edge-main.js';
import { edgeProcess, logEdge, type EdgeMaker } from '../edge-wiring.js';
import { DASHBOARD_DIR, urlHost, webUrl } from './graph-parts.js';
import { buildGraph } from './platform-graph.js';

// `dozen up`: every role in one process, with the in-process adapters (no relay, no queue).

export interface RunningPlatform {
  apiUrl: string;
  routerUrl: string;
  /** The HTTPS listener's port, null when DOZEN_ROUTER_HTTPS_PORT=off. */
  routerHttpsPort: number | null;
  adminTokenFile: string;
  /** Stops the control plane; with `stopApps`, the edge and every app process too (`dozen down --stop-apps`). */
  stop(options?: { stopApps?: boolean }): Promise<void>;
}

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
  const api = await buildApi({ deps, logger: logger.child({ role: 'api' }), shutdown: shutdown.signal, metrics: [edge.metrics], metricsToken: config.metricsToken, trustProxy, runPingMs: runPingMs(config), down: options.onDown ?? null, dashboardDir: DASHBOARD_DIR, slugs });
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

/** How often a `run` session is pinged: well within the router's idle timeout. */
export function runPingMs(config: PlatformConfig): number {
  return Math.max(250, Math.min(20_000, Math.floor(config.router.idleTimeoutMs / 3)));
}
