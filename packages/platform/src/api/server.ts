import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Access } from '@dozen/contracts';
import type { CoreDeps } from '../core/deps.js';
import type { MetricsSource } from '../shared-ports/metrics.js';
import { installAudit } from './audit/audit-hook.js';
import { auditRoutes } from './routes/audit.js';
import { installAuthorization } from './authorize.js';
import { answerClientError, installErrorHandling } from './error-handler.js';
import { lazySerializerCompiler } from './lazy-serializer.js';
import { typeboxValidatorCompiler } from './typebox-validator.js';
import { addonRoutes } from './routes/addons.js';
import { appRoutes } from './routes/apps.js';
import { buildRoutes } from './routes/builds.js';
import { drainRoutes } from './routes/drains.js';
import { cronRoutes } from './routes/cron.js';
import { gitRoutes } from './routes/git.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { processRoutes } from './routes/processes.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { releaseRoutes } from './routes/releases.js';
import { evidenceRoutes } from './routes/evidence.js';
import { runRoutes } from './routes/runs.js';
import { domainRoutes } from './routes/domains.js';
import { certRoutes } from './routes/certs.js';
import { apiDomainRoutes } from './routes/api-domain.js';
import { appMetricsRoutes, metricsRoutes } from './routes/metrics.js';
import { platformRoutes } from './routes/platform.js';
import { secretRoutes } from './routes/secrets.js';
import { statusRoutes } from './routes/status.js';
import { backupRoutes } from './routes/backups.js';
import { pgBackupRoutes } from './routes/pg-backups.js';
import { accessRoutes } from './routes/access.js';
import { authRoutes } from './routes/auth.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { sessionRoutes } from './routes/session.js';
import { scorecardRoutes } from './routes/scorecard.js';
import { slugRoutes } from './routes/slugs.js';
import type { SlugDownloads } from '../shared-ports/slug-downloads.js';
import type { Artefacts } from '../cluster/cluster-ports.js';
import { artefactRoutes } from './routes/artefacts.js';

export interface ApiOptions {
  deps: CoreDeps;
  /** What GET /metrics exposes (the router). */
  metrics?: MetricsSource[];
  /** A token that opens GET /metrics only, besides API tokens (DOZEN_METRICS_TOKEN). */
  metricsToken?: string | null;
  logger: FastifyBaseLogger | false;
  /** Aborted when the platform stops: long-lived streams end. */
  shutdown: AbortSignal;
  /** The access rules enforced; default: the contracts' (tests pass a changed copy). */
  accessRules?: ReadonlyMap<string, Access>;
  /** Peers whose X-Forwarded-For is believed for the client's address (Fastify's trustProxy); default: none. */
  trustProxy?: string[];
  /** How often the run WebSocket is pinged (below the router's idle timeout); default 20 s. */
  runPingMs?: number;
  /** `dozen down`: stop the process (and the apps, with `stopApps`); null: not offered. */
  down?: ((stopApps: boolean) => void) | null;
  /** The built dashboard (packages/dashboard/dist) served at `/`; null: not served. */
  dashboardDir?: string | null;
  /** GET /slugs/:slug (issue 19): slugs for a cluster's init containers; null: the route refuses every token. */
  slugs?: SlugDownloads | null;
  /** The roles' shared secret (DOZEN_CLUSTER_TOKEN) that opens /internal/artefacts/*; null (default): those routes answer 404. */
  clusterToken?: string | null;
  /** The artefacts the internal routes serve (issue 19); absent: none (the routes answer ARTEFACT_NOT_FOUND). */
  artefacts?: Artefacts | null;
}

/** The REST API. Thin: each route validates, calls one use case and maps the answer. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    clientErrorHandler: answerClientError,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setSerializerCompiler(lazySerializerCompiler);
  installErrorHandling(app);
  // No MIME sniffing: Chromium would otherwise hold back the first KB of a text/plain stream (build output).
  app.addHook('onRequest', async (_request, reply) => void reply.header('x-content-type-options', 'nosniff'));
  installAuthorization(app, { deps: options.deps, metricsToken: options.metricsToken ?? null, clusterToken: options.clusterToken ?? null, ...(options.accessRules ? { rules: options.accessRules } : {}) });
  installAudit(app, options.deps);
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  healthRoutes(app);
  appRoutes(app, options.deps);
  buildRoutes(app, options.deps);
  releaseRoutes(app, options.deps);
  scorecardRoutes(app, options.deps);
  pipelineRoutes(app, options.deps);
  evidenceRoutes(app, options.deps);
  processRoutes(app, options.deps);
  logRoutes(app, options.deps, options.shutdown);
  runRoutes(app, options.deps, options.runPingMs);
  drainRoutes(app, options.deps);
  cronRoutes(app, options.deps);
  addonRoutes(app, options.deps);
  domainRoutes(app, options.deps);
  certRoutes(app, options.deps);
  apiDomainRoutes(app, options.deps);
  metricsRoutes(app, options.metrics ?? []);
  appMetricsRoutes(app, options.deps);
  gitRoutes(app, options.deps);
  auditRoutes(app, options.deps);
  secretRoutes(app, options.deps);
  statusRoutes(app, options.deps);
  backupRoutes(app, options.deps);
  pgBackupRoutes(app, options.deps);
  authRoutes(app, options.deps);
  userRoutes(app, options.deps);
  tokenRoutes(app, options.deps);
  accessRoutes(app, options.deps);
  platformRoutes(app, options.down ?? null);
  sessionRoutes(app, options.deps);
  dashboardRoutes(app, options.dashboardDir ?? null);
  slugRoutes(app, options.deps, options.slugs ?? null);
  artefactRoutes(app, options.artefacts ?? null);
  return app;
}
