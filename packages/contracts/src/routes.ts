import { Type, type Static, type TSchema } from './typebox.js';
import {
  AddDomainBody, AppInfoSchema, AppParams, AppSchema, BuildpacksBody, BuildpackSchema, BuildParams,
  BuildSchema, CachePurgedSchema, ConfigUpdateBody, ConfigUpdateResultSchema, ConfigVarsSchema,
  CreateAppBody, CreateDrainBody, DeployPlanBody, DestroyedSchema, DomainParams, DomainRemovedSchema,
  DomainSchema, DrainParams, DrainSchema, FormationEntrySchema, FormationUpdateBody, GitInfoSchema,
  GitUpdateBody, LogLineSchema, LogQuery, LogStatsSchema, PlanSchema, ProcessParams, ProcessSchema,
  ProcessTypeParams, ProcessTypeSchema, ProcessTypeUpdateBody, ReleaseDiffQuery, ReleaseDiffSchema, ReleaseSchema, RestartBody, RollbackBody,
  RunBody, RunStartedSchema, ReleaseEvidenceSchema, ReleaseVersionParams,
} from './schemas/index.js';
import {
  AccessBody, AccessParams, AccessUpdateBody, AddUserBody, CollaboratorSchema, CreateTokenBody, LoggedOutSchema, LoginBody, SessionSchema,
  SetupBody, TokenCreatedSchema, TokenParams, TokenSchema, TransferBody, UserAddedSchema, UserParams, UserRemovedSchema, UserSchema, WhoAmISchema,
} from './schemas/teams.js';
import type { Access } from './access.js';
import { DeployPlanSchema, DryRunQuery, OrPlan } from './schemas/release-plan.js';
import { AppSummarySchema, BrowserSessionSchema, SessionLoginBody, SignedOutSchema } from './schemas/dashboard.js';
import { AuditEventSchema, AuditQuery } from './schemas/audit.js';
import { AppMetricsSchema, MetricsQuery } from './schemas/metrics.js';
import { PlatformStatusSchema } from './schemas/status.js';
import { AcmStatusSchema, ApiCertificateParams, ApiDomainSchema, CertificateBody, CertificateParams, CertificateSchema, HttpsSettingsBody, HttpsSettingsSchema } from './schemas/certificate.js';
import { BackupSchema, CapturePgBackupBody, CreateBackupBody, PgBackupParams, PgBackupSchema, PgRestoredSchema, RestorePgBackupBody } from './schemas/backup.js';
import { ScorecardParams, ScorecardPolicyBody, ScorecardPolicySchema, ScorecardSchema } from './schemas/scorecard.js';
import { CreateCronJobBody, CronJobParams, CronJobSchema, CronRunSchema, CronRunsQuery, MaintenanceBody, MaintenanceSchema } from './schemas/cron.js';
import { CreatePipelineBody, PipelineAppBody, PipelineAppSchema, PipelineParams, PipelineSchema, PromoteBody, PromotionSchema, ReviewAppsBody, ReviewSettingsSchema } from './schemas/pipeline.js';
import { AddonChangeSchema, AddonInfoSchema, AddonParams, AddonReleasesSchema, AddonSchema, AttachAddonBody, AttachmentParams, CreateAddonBody } from './schemas/addon.js';

// Paths of the streams and fillPath live apart, without TypeBox: the CLI loads them at start.
export { fillPath, streamRoutes } from './stream-routes.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One JSON route of the API, as data: the server registers it, the client calls it. */
export interface JsonRoute {
  method: HttpMethod;
  url: string;
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: TSchema;
  status?: number;
  summary: string;
  /** Who may call it (see access.ts); required, so a route without one does not compile. */
  access: Access;
}

export const HealthSchema = Type.Object({ status: Type.Literal('ok'), version: Type.String() });
export const PlatformDownBody = Type.Object({ stopApps: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const PlatformDownSchema = Type.Object({ stopping: Type.Literal(true), stopApps: Type.Boolean() });
export const SecretKeyRotationSchema = Type.Object({
  keyId: Type.String(),
  source: Type.Union([Type.Literal('file'), Type.Literal('env')]),
  dataKeys: Type.Integer(),
  rewrapped: Type.Integer(),
  retiredKeyIds: Type.Array(Type.String()),
});

export const routes = {
  // Platform
  health: { method: 'GET', url: '/healthz', access: 'public', response: HealthSchema, summary: 'Liveness; the only route without a token.' },
  whoami: { method: 'GET', url: '/auth/whoami', access: 'token', response: WhoAmISchema, summary: 'Check a token.' },

  // Apps
  listApps: { method: 'GET', url: '/apps', access: 'token', response: Type.Array(AppSchema), summary: 'List apps.' },
  createApp: { method: 'POST', url: '/apps', access: 'user', body: CreateAppBody, response: AppSchema, status: 201, summary: 'Create an app.' },
  getApp: { method: 'GET', url: '/apps/:app', access: { app: 'view' }, params: AppParams, response: AppInfoSchema, summary: 'App info.' },
  destroyApp: { method: 'DELETE', url: '/apps/:app', access: { app: 'manage' }, params: AppParams, querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 256 })) }), response: DestroyedSchema, summary: 'Stop every process and delete the app with its data.' },

  // Config vars
  getConfig: { method: 'GET', url: '/apps/:app/config', access: { app: 'deploy' }, params: AppParams, response: ConfigVarsSchema, summary: 'Config vars of the current release.' },
  updateConfig: { method: 'PATCH', url: '/apps/:app/config', access: { app: 'deploy' }, params: AppParams, querystring: DryRunQuery, body: ConfigUpdateBody, response: OrPlan(ConfigUpdateResultSchema), summary: 'Set (string) or unset (null) config vars; makes a new release.' },

  // Processes: formation (ps:scale), processes (ps), process types (ps:type)
  getFormation: { method: 'GET', url: '/apps/:app/formation', access: { app: 'view' }, params: AppParams, response: Type.Array(FormationEntrySchema), summary: 'Desired process counts.' },
  updateFormation: { method: 'PATCH', url: '/apps/:app/formation', access: { app: 'operate' }, params: AppParams, body: FormationUpdateBody, response: Type.Array(FormationEntrySchema), summary: 'Scale process types.' },
  planFormation: { method: 'POST', url: '/apps/:app/formation/plan', access: { app: 'operate' }, params: AppParams, body: FormationUpdateBody, response: PlanSchema, summary: 'What a scale would do, step by step, without doing it.' },
  listProcesses: { method: 'GET', url: '/apps/:app/processes', access: { app: 'view' }, params: AppParams, response: Type.Array(ProcessSchema), summary: 'Running processes.' },
  restartProcesses: { method: 'POST', url: '/apps/:app/processes/restart', access: { app: 'operate' }, params: AppParams, body: RestartBody, response: Type.Array(ProcessSchema), summary: 'Restart all processes, or those of one type.' },
  stopProcess: { method: 'POST', url: '/apps/:app/processes/:process/stop', access: { app: 'operate' }, params: ProcessParams, response: Type.Array(ProcessSchema), summary: 'Stop one process (SIGTERM, grace, SIGKILL); a formation process is then started again.' },
  listProcessTypes: { method: 'GET', url: '/apps/:app/process-types', access: { app: 'view' }, params: AppParams, response: Type.Array(ProcessTypeSchema), summary: 'Process types with their grace period, boot timeout and rollout strategy.' },
  updateProcessType: { method: 'PATCH', url: '/apps/:app/process-types/:type', access: { app: 'operate' }, params: ProcessTypeParams, body: ProcessTypeUpdateBody, response: ProcessTypeSchema, summary: 'Change the settings of a process type (null: back to the default).' },

  // Releases
  listReleases: { method: 'GET', url: '/apps/:app/releases', access: { app: 'view' }, params: AppParams, response: Type.Array(ReleaseSchema), summary: 'List releases, newest first.' },
  diffReleases: { method: 'GET', url: '/apps/:app/releases/diff', access: { app: 'view' }, params: AppParams, querystring: ReleaseDiffQuery, response: ReleaseDiffSchema, summary: 'What changed between two releases: config keys added, removed, changed (names only), add-on attachments, slug, build, commit.' },
  rollback: { method: 'POST', url: '/apps/:app/releases/rollback', access: { app: 'deploy' }, params: AppParams, querystring: DryRunQuery, body: RollbackBody, response: OrPlan(ReleaseSchema), status: 201, summary: 'Make a new release from an earlier one (default: the one before the current).' },
  planDeploy: { method: 'POST', url: '/apps/:app/releases/plan', access: { app: 'deploy' }, params: AppParams, body: DeployPlanBody, response: DeployPlanSchema, summary: 'What rolling out a new release would do, without building or doing it.' },

  // Scorecard runtime evidence (issue 18)
  getReleaseEvidence: { method: 'GET', url: '/apps/:app/releases/:version/evidence', access: { app: 'view' }, params: ReleaseVersionParams, response: ReleaseEvidenceSchema, summary: 'What the processes of a release showed at run time (where they listened, boot and stop times, open log files) and the runtime checks graded from it.' },

  // Builds
  listBuilds: { method: 'GET', url: '/apps/:app/builds', access: { app: 'view' }, params: AppParams, response: Type.Array(BuildSchema), summary: 'List builds, newest first.' },
  getBuild: { method: 'GET', url: '/apps/:app/builds/:build', access: { app: 'view' }, params: BuildParams, response: BuildSchema, summary: 'One build and its outcome.' },
  cancelBuild: { method: 'POST', url: '/apps/:app/builds/:build/cancel', access: { app: 'deploy' }, params: BuildParams, response: BuildSchema, summary: 'Cancel a pending or running build: its commands are killed.' },
  purgeBuildCache: { method: 'DELETE', url: '/apps/:app/build-cache', access: { app: 'deploy' }, params: AppParams, response: CachePurgedSchema, summary: 'Forget the build caches of the app (dependencies, package manager and buildpack caches).' },

  // Buildpacks
  listBuildpacks: { method: 'GET', url: '/apps/:app/buildpacks', access: { app: 'view' }, params: AppParams, response: Type.Array(BuildpackSchema), summary: 'The buildpacks set for the app, in order (empty: app.json or detection).' },
  setBuildpacks: { method: 'PUT', url: '/apps/:app/buildpacks', access: { app: 'deploy' }, params: AppParams, body: BuildpacksBody, response: Type.Array(BuildpackSchema), summary: 'Replace the app\'s buildpacks (names, paths or git URLs with #ref); [] clears them.' },

  // Add-ons and attachments
  listAllAddons: { method: 'GET', url: '/addons', access: 'token', response: Type.Array(AddonSchema), summary: 'Every add-on of the platform.' },
  listAddons: { method: 'GET', url: '/apps/:app/addons', access: { app: 'view' }, params: AppParams, response: Type.Array(AddonSchema), summary: 'Add-ons the app owns or has attached.' },
  createAddon: { method: 'POST', url: '/apps/:app/addons', access: { app: 'manage' }, params: AppParams, body: CreateAddonBody, response: AddonChangeSchema, status: 201, summary: 'Provision an add-on and attach it to the app; makes a new release.' },
  getAddon: { method: 'GET', url: '/apps/:app/addons/:addon', access: { app: 'view' }, params: AddonParams, response: AddonInfoSchema, summary: 'One add-on (by add-on or attachment name): attachments and provider details.' },
  destroyAddon: { method: 'DELETE', url: '/apps/:app/addons/:addon', access: { app: 'manage' }, params: AddonParams, querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 256 })) }), response: AddonReleasesSchema, summary: 'Detach an add-on everywhere (a release per app), then delete it with its data.' },
  rotateAddonCredentials: { method: 'POST', url: '/apps/:app/addons/:addon/credentials/rotate', access: { app: 'manage' }, params: AddonParams, response: AddonReleasesSchema, summary: 'New credentials for an add-on; a release per attached app.' },
  attachAddon: { method: 'POST', url: '/apps/:app/attachments', access: { app: 'manage' }, params: AppParams, querystring: DryRunQuery, body: AttachAddonBody, response: OrPlan(AddonChangeSchema), status: 201, summary: 'Attach an existing add-on to the app under a config var name; makes a new release.' },
  detachAddon: { method: 'DELETE', url: '/apps/:app/attachments/:name', access: { app: 'manage' }, params: AttachmentParams, querystring: DryRunQuery, response: OrPlan(AddonChangeSchema), summary: 'Remove an attachment (and its config var); makes a new release.' },

  // Domains
  listDomains: { method: 'GET', url: '/apps/:app/domains', access: { app: 'view' }, params: AppParams, response: Type.Array(DomainSchema), summary: 'Custom domains routed to the app.' },
  addDomain: { method: 'POST', url: '/apps/:app/domains', access: { app: 'manage' }, params: AppParams, body: AddDomainBody, response: DomainSchema, status: 201, summary: 'Route a custom domain (exact, or *.example.com) to the app.' },
  removeDomain: { method: 'DELETE', url: '/apps/:app/domains/:hostname', access: { app: 'manage' }, params: DomainParams, response: DomainRemovedSchema, summary: 'Stop routing a custom domain to the app.' },

  // HTTPS: certificates, redirect mode, HSTS (issue 14)
  listCerts: { method: 'GET', url: '/apps/:app/certs', access: { app: 'view' }, params: AppParams, response: Type.Array(CertificateSchema), summary: 'The app\'s certificates, each with the custom domains it serves.' },
  addCert: { method: 'POST', url: '/apps/:app/certs', access: { app: 'manage' }, params: AppParams, body: CertificateBody, response: CertificateSchema, status: 201, summary: 'Check and add a certificate chain and its private key (PEM); served at once for the domains it covers.' },
  getCert: { method: 'GET', url: '/apps/:app/certs/:cert', access: { app: 'view' }, params: CertificateParams, response: CertificateSchema, summary: 'One certificate.' },
  updateCert: { method: 'PUT', url: '/apps/:app/certs/:cert', access: { app: 'manage' }, params: CertificateParams, body: CertificateBody, response: CertificateSchema, summary: 'Replace a certificate (a renewal) without dropping connections.' },
  removeCert: { method: 'DELETE', url: '/apps/:app/certs/:cert', access: { app: 'manage' }, params: CertificateParams, response: CertificateSchema, summary: 'Stop serving a certificate and delete it.' },
  getHttps: { method: 'GET', url: '/apps/:app/https', access: { app: 'view' }, params: AppParams, response: HttpsSettingsSchema, summary: 'The app\'s HTTPS mode (http or redirect) and HSTS max-age.' },
  getAcm: { method: 'GET', url: '/apps/:app/acm', access: { app: 'view' }, params: AppParams, response: AcmStatusSchema, summary: 'Automatic certificates (ACME): on or off, and each custom domain\'s state.' },
  enableAcm: { method: 'POST', url: '/apps/:app/acm', access: { app: 'manage' }, params: AppParams, response: AcmStatusSchema, summary: 'Obtain and renew a certificate for every custom domain of the app with ACME (HTTP-01).' },
  disableAcm: { method: 'DELETE', url: '/apps/:app/acm', access: { app: 'manage' }, params: AppParams, response: AcmStatusSchema, summary: 'Stop automatic certificates; the ones issued are removed.' },
  refreshAcm: { method: 'POST', url: '/apps/:app/acm/refresh', access: { app: 'manage' }, params: AppParams, response: AcmStatusSchema, summary: 'Order every domain\'s certificate again now.' },
  getApiDomain: { method: 'GET', url: '/api-domain', access: 'admin', response: ApiDomainSchema, summary: 'The API domain (DOZEN_API_DOMAIN), its certificates and its automatic certificate\'s state.' },
  addApiCert: { method: 'POST', url: '/api-domain/certs', access: 'admin', body: CertificateBody, response: CertificateSchema, status: 201, summary: 'Check and add a certificate for the API domain; served at once.' },
  removeApiCert: { method: 'DELETE', url: '/api-domain/certs/:cert', access: 'admin', params: ApiCertificateParams, response: CertificateSchema, summary: 'Stop serving a certificate of the API domain and delete it.' },
  updateHttps: { method: 'PATCH', url: '/apps/:app/https', access: { app: 'manage' }, params: AppParams, body: HttpsSettingsBody, response: HttpsSettingsSchema, summary: 'Set the HTTPS mode and/or the HSTS max-age (null: no header).' },

  // Drains
  listDrains: { method: 'GET', url: '/apps/:app/drains', access: { app: 'view' }, params: AppParams, response: Type.Array(DrainSchema), summary: 'Drains with their counters.' },
  addDrain: { method: 'POST', url: '/apps/:app/drains', access: { app: 'manage' }, params: AppParams, body: CreateDrainBody, response: DrainSchema, status: 201, summary: 'Forward the log stream to a syslog, syslog+tls or https URL.' },
  removeDrain: { method: 'DELETE', url: '/apps/:app/drains/:drain', access: { app: 'manage' }, params: DrainParams, response: DrainSchema, summary: 'Stop and remove a drain (by id or URL).' },

  // Logs
  getLogs: { method: 'GET', url: '/apps/:app/logs', access: { app: 'view' }, params: AppParams, querystring: LogQuery, response: Type.Array(LogLineSchema), summary: 'Recent log lines (filtered by process, source, since), oldest first.' },
  getLogStats: { method: 'GET', url: '/apps/:app/logs/stats', access: { app: 'view' }, params: AppParams, response: LogStatsSchema, summary: 'What the log history holds and what it dropped.' },

  // Runs (one-off processes)
  createRun: { method: 'POST', url: '/apps/:app/runs', access: { app: 'deploy' }, params: AppParams, body: RunBody, response: RunStartedSchema, status: 201, summary: 'Start a detached one-off process; its output goes to the log stream.' },

  // Scheduled jobs and maintenance mode (issue 17)
  listCronJobs: { method: 'GET', url: '/apps/:app/cron', access: { app: 'view' }, params: AppParams, response: Type.Array(CronJobSchema), summary: 'Scheduled jobs (UTC cron expressions) with their next run.' },
  addCronJob: { method: 'POST', url: '/apps/:app/cron', access: { app: 'deploy' }, params: AppParams, body: CreateCronJobBody, response: CronJobSchema, status: 201, summary: 'Schedule a command: each run is a one-off process `scheduler.N` of the current release.' },
  removeCronJob: { method: 'DELETE', url: '/apps/:app/cron/:job', access: { app: 'deploy' }, params: CronJobParams, response: CronJobSchema, summary: 'Remove a scheduled job (those from app.json change with app.json).' },
  triggerCronJob: { method: 'POST', url: '/apps/:app/cron/:job/trigger', access: { app: 'deploy' }, params: CronJobParams, response: CronRunSchema, status: 201, summary: 'Run a scheduled job now (skipped if its previous run is still running).' },
  listCronRuns: { method: 'GET', url: '/apps/:app/cron-runs', access: { app: 'view' }, params: AppParams, querystring: CronRunsQuery, response: Type.Array(CronRunSchema), summary: 'The last 100 runs of the app\'s scheduled jobs (or of one job), newest first.' },
  getMaintenance: { method: 'GET', url: '/apps/:app/maintenance', access: { app: 'view' }, params: AppParams, response: MaintenanceSchema, summary: 'Whether the app is in maintenance mode.' },
  setMaintenance: { method: 'PUT', url: '/apps/:app/maintenance', access: { app: 'manage' }, params: AppParams, body: MaintenanceBody, response: MaintenanceSchema, summary: 'Maintenance mode on or off: the router answers 503 (H80) for the app; its processes keep running.' },

  // Audit trail
  listAudit: { method: 'GET', url: '/audit', access: 'admin', querystring: AuditQuery, response: Type.Array(AuditEventSchema), summary: 'Every state-changing request on the platform, oldest first (the newest `limit`, default 100).' },
  listAppAudit: { method: 'GET', url: '/apps/:app/audit', access: { app: 'view' }, params: AppParams, querystring: AuditQuery, response: Type.Array(AuditEventSchema), summary: "The state-changing requests on one app, oldest first (the newest `limit`, default 100)." },
  appMetrics: { method: 'GET', url: '/apps/:app/metrics', access: { app: 'view' }, params: AppParams, querystring: MetricsQuery, response: AppMetricsSchema, summary: "The app's series: requests per status class, latency percentiles, memory, CPU and restarts per process, deploy markers (the last 24 h at 1 min by default)." },

  // Git
  getGit: { method: 'GET', url: '/apps/:app/git', access: { app: 'view' }, params: AppParams, response: GitInfoSchema, summary: "The app's git repository path and deploy branches." },
  updateGit: { method: 'PATCH', url: '/apps/:app/git', access: { app: 'deploy' }, params: AppParams, body: GitUpdateBody, response: GitInfoSchema, summary: 'Set the branch whose pushes deploy (null: main or master).' },
  // Accounts, tokens and access (issue 13; docs/access.md)
  login: { method: 'POST', url: '/auth/login', access: 'public', body: LoginBody, response: SessionSchema, status: 201, summary: 'Email and password -> a new token of that user (failed attempts are rate-limited per address).' },
  completeSetup: { method: 'POST', url: '/auth/setup', access: 'public', body: SetupBody, response: SessionSchema, status: 201, summary: 'Choose a password with the one-time setup code from users:add; answers a token.' },
  logout: { method: 'DELETE', url: '/auth/session', access: 'token', response: LoggedOutSchema, summary: 'Revoke the token that makes this request.' },
  listUsers: { method: 'GET', url: '/users', access: 'admin', response: Type.Array(UserSchema), summary: 'Every user.' },
  addUser: { method: 'POST', url: '/users', access: 'admin', body: AddUserBody, response: UserAddedSchema, status: 201, summary: 'Add a user; answers a one-time setup code (shown once, expiring).' },
  removeUser: { method: 'DELETE', url: '/users/:email', access: 'admin', params: UserParams, response: UserRemovedSchema, summary: 'Remove a user: their tokens and app access go; their apps pass to the admin.' },
  listTokens: { method: 'GET', url: '/tokens', access: 'user', response: Type.Array(TokenSchema), summary: "The caller's tokens (the admin: every token)." },
  createToken: { method: 'POST', url: '/tokens', access: 'user', body: CreateTokenBody, response: TokenCreatedSchema, status: 201, summary: 'A new token of the caller, optionally limited to one app, some permissions, a lifetime; shown once.' },
  revokeToken: { method: 'DELETE', url: '/tokens/:token', access: 'user', params: TokenParams, response: TokenSchema, summary: 'Revoke a token by id (its owner, or the admin).' },
  listAccess: { method: 'GET', url: '/apps/:app/access', access: { app: 'view' }, params: AppParams, response: Type.Array(CollaboratorSchema), summary: 'The owner and the collaborators of the app with their permissions.' },
  addAccess: { method: 'POST', url: '/apps/:app/access', access: { app: 'manage' }, params: AppParams, body: AccessBody, response: CollaboratorSchema, status: 201, summary: 'Give a user permissions on the app (view is always included).' },
  updateAccess: { method: 'PATCH', url: '/apps/:app/access/:email', access: { app: 'manage' }, params: AccessParams, body: AccessUpdateBody, response: CollaboratorSchema, summary: "Replace a collaborator's permissions." },
  removeAccess: { method: 'DELETE', url: '/apps/:app/access/:email', access: { app: 'manage' }, params: AccessParams, response: CollaboratorSchema, summary: 'Take a collaborator off the app (not the last manager).' },
  transferApp: { method: 'POST', url: '/apps/:app/transfer', access: { app: 'manage' }, params: AppParams, body: TransferBody, response: CollaboratorSchema, summary: 'Make another user the owner; the previous owner stays as a collaborator with every permission.' },

  // The dashboard (issue 16): browser sessions (an HttpOnly cookie) and the apps page in one answer
  createSession: { method: 'POST', url: '/session', access: 'public', body: SessionLoginBody, response: BrowserSessionSchema, status: 201, summary: 'Sign in the browser: email and password (or an API token) -> an HttpOnly session cookie and its CSRF token.' },
  getSession: { method: 'GET', url: '/session', access: 'token', response: BrowserSessionSchema, summary: 'Who is signed in, and the CSRF token that mutating requests with the session cookie carry.' },
  deleteSession: { method: 'DELETE', url: '/session', access: 'token', response: SignedOutSchema, summary: 'Sign out the browser: the session is revoked and the cookie cleared.' },
  listAppSummaries: { method: 'GET', url: '/app-summaries', access: 'token', response: Type.Array(AppSummarySchema), summary: 'Every app the caller may view with its state, URL, release, processes up of total, last deploy and the caller\'s permissions.' },

  // Secrets at rest
  platformDown: { method: 'POST', url: '/platform/down', access: 'admin', body: PlatformDownBody, response: PlatformDownSchema, status: 202, summary: 'Stop the control plane (admin); the apps keep running in the edge, unless stopApps, which stops them and the edge too.' },
  rotateSecretKey: { method: 'POST', url: '/secrets/rotate', access: 'admin', response: SecretKeyRotationSchema, summary: 'Re-wrap every data key under a new master key (admin); values, releases and processes are unchanged.' },

  // Production on one host (issue 15)
  getStatus: { method: 'GET', url: '/status', access: 'admin', response: PlatformStatusSchema, summary: 'The platform: version, data dir schema, uptime, apps, disk use per area and per app (admin).' },
  // Backups (issue 15)
  listBackups: { method: 'GET', url: '/backups', access: 'admin', response: Type.Array(BackupSchema), summary: 'The archives in the data dir, newest first.' },
  listPgBackups: { method: 'GET', url: '/apps/:app/pg-backups', access: { app: 'view' }, params: AppParams, response: Type.Array(PgBackupSchema), summary: 'Backups of the app\'s postgres add-ons, newest first.' },
  capturePgBackup: { method: 'POST', url: '/apps/:app/pg-backups', access: { app: 'manage' }, params: AppParams, body: CapturePgBackupBody, response: PgBackupSchema, status: 201, summary: 'pg_dump -Fc of a postgres add-on (default DATABASE_URL); answers when it is complete.' },
  restorePgBackup: { method: 'POST', url: '/apps/:app/pg-backups/:backup/restore', access: { app: 'manage' }, params: PgBackupParams, body: RestorePgBackupBody, response: PgRestoredSchema, summary: 'Replace a postgres add-on\'s database with a backup (confirm: the app name); one transaction.' },
  createBackup: { method: 'POST', url: '/backups', access: 'admin', body: CreateBackupBody, response: BackupSchema, status: 201, summary: 'Write one archive of the whole platform (store, slugs of each rollback window, embedded add-ons\' data); answers when it is complete.' },
  // Twelve-factor scorecard (issue 18)
  getReleaseScorecard: { method: 'GET', url: '/apps/:app/releases/:version/scorecard', access: { app: 'view' }, params: ScorecardParams, response: ScorecardSchema, summary: 'The twelve-factor scorecard of a release: static checks of its build, runtime checks of its processes, unknowns.' },
  getScorecard: { method: 'GET', url: '/apps/:app/scorecard', access: { app: 'view' }, params: AppParams, response: ScorecardSchema, summary: 'The twelve-factor scorecard of the current release.' },
  getScorecardPolicy: { method: 'GET', url: '/apps/:app/scorecard-policy', access: { app: 'view' }, params: AppParams, response: ScorecardPolicySchema, summary: 'The checks the app\'s deploys must pass (`scorecard:require`).' },
  setScorecardPolicy: { method: 'PUT', url: '/apps/:app/scorecard-policy', access: { app: 'manage' }, params: AppParams, body: ScorecardPolicyBody, response: ScorecardPolicySchema, summary: 'Require factors or checks to pass before a deploy releases (null: no policy).' },
  // Pipelines, promotion and review apps (issue 17)
  listPipelines: { method: 'GET', url: '/pipelines', access: 'user', response: Type.Array(PipelineSchema), summary: 'Every pipeline, with its apps the caller may view by stage and its review apps.' },
  createPipeline: { method: 'POST', url: '/pipelines', access: 'user', body: CreatePipelineBody, response: PipelineSchema, status: 201, summary: 'A new, empty pipeline.' },
  getPipeline: { method: 'GET', url: '/pipelines/:pipeline', access: 'user', params: PipelineParams, response: PipelineSchema, summary: 'One pipeline: its apps by stage, review-app settings and review apps.' },
  destroyPipeline: { method: 'DELETE', url: '/pipelines/:pipeline', access: 'user', params: PipelineParams, response: PipelineSchema, summary: 'Delete a pipeline (manage on each of its apps); its apps stay.' },
  addPipelineApp: { method: 'PUT', url: '/apps/:app/pipeline', access: { app: 'manage' }, params: AppParams, body: PipelineAppBody, response: PipelineAppSchema, summary: 'Put the app in a pipeline at a stage, or move it to another stage of its pipeline (an app is in one pipeline at most).' },
  removePipelineApp: { method: 'DELETE', url: '/apps/:app/pipeline', access: { app: 'manage' }, params: AppParams, response: PipelineAppSchema, summary: 'Take the app out of its pipeline.' },
  promote: { method: 'POST', url: '/apps/:app/promote', access: { app: 'view' }, params: AppParams, body: PromoteBody, response: PromotionSchema, status: 201, summary: 'Release the app\'s current slug on the next stage\'s apps (or `to`), with their own config and add-ons, without a build; deploy on each target.' },
  enableReviewApps: { method: 'PUT', url: '/pipelines/:pipeline/review-apps', access: 'user', params: PipelineParams, body: ReviewAppsBody, response: ReviewSettingsSchema, summary: 'Turn review apps on (or change their settings): pushed branches get their own app (manage on each app of the pipeline).' },
  disableReviewApps: { method: 'DELETE', url: '/pipelines/:pipeline/review-apps', access: 'user', params: PipelineParams, response: ReviewSettingsSchema, summary: 'Turn review apps off; existing review apps stay until their branch is deleted (manage on each app of the pipeline).' },
  getReviewConfig: { method: 'GET', url: '/pipelines/:pipeline/review-apps/config', access: 'user', params: PipelineParams, response: ConfigVarsSchema, summary: 'The config vars every review app of the pipeline gets (manage on each app of the pipeline).' },
  updateReviewConfig: { method: 'PATCH', url: '/pipelines/:pipeline/review-apps/config', access: 'user', params: PipelineParams, body: ConfigUpdateBody, response: ConfigVarsSchema, summary: 'Set (string) or unset (null) review config vars; they apply to review apps built from then on.' },
} as const satisfies Record<string, JsonRoute>;

export type RouteName = keyof typeof routes;

type MaybeStatic<T> = T extends TSchema ? Static<T> : never;

/** The input a client passes for a route: only the parts the route declares. */
export type RouteInput<R extends JsonRoute> =
  (R['params'] extends TSchema ? { params: MaybeStatic<R['params']> } : { params?: undefined }) &
  (R['querystring'] extends TSchema ? { query?: MaybeStatic<R['querystring']> } : { query?: undefined }) &
  (R['body'] extends TSchema ? { body: MaybeStatic<R['body']> } : { body?: undefined });

export type RouteOutput<R extends JsonRoute> = Static<R['response']>;
