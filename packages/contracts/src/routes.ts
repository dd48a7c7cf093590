import { Type, type Static, type TSchema } from './typebox.js';
import {
  AddDomainBody, AppInfoSchema, AppParams, AppSchema, BuildpacksBody, BuildpackSchema, BuildParams,
  BuildSchema, CachePurgedSchema, ConfigUpdateBody, ConfigUpdateResultSchema, ConfigVarsSchema,
  CreateAppBody, CreateDrainBody, DeployPlanBody, DestroyedSchema, DomainParams, DomainRemovedSchema,
  DomainSchema, DrainParams, DrainSchema, FormationEntrySchema, FormationUpdateBody, GitInfoSchema,
  GitUpdateBody, LogLineSchema, LogQuery, LogStatsSchema, PlanSchema, ProcessParams, ProcessSchema,
  ProcessTypeParams, ProcessTypeSchema, ProcessTypeUpdateBody, ReleaseSchema, RestartBody, RollbackBody,
  RunBody, RunStartedSchema,
} from './schemas/index.js';
import { DeployPlanSchema, DryRunQuery, OrPlan } from './schemas/release-plan.js';
import { AuditEventSchema, AuditQuery } from './schemas/audit.js';
import { AcmStatusSchema, CertificateBody, CertificateParams, CertificateSchema, HttpsSettingsBody, HttpsSettingsSchema } from './schemas/certificate.js';
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
}

export const HealthSchema = Type.Object({ status: Type.Literal('ok'), version: Type.String() });
export const WhoAmISchema = Type.Object({ token: Type.String(), role: Type.String() });

export const routes = {
  // Platform
  health: { method: 'GET', url: '/healthz', response: HealthSchema, summary: 'Liveness; the only route without a token.' },
  whoami: { method: 'GET', url: '/auth/whoami', response: WhoAmISchema, summary: 'Check a token.' },

  // Apps
  listApps: { method: 'GET', url: '/apps', response: Type.Array(AppSchema), summary: 'List apps.' },
  createApp: { method: 'POST', url: '/apps', body: CreateAppBody, response: AppSchema, status: 201, summary: 'Create an app.' },
  getApp: { method: 'GET', url: '/apps/:app', params: AppParams, response: AppInfoSchema, summary: 'App info.' },
  destroyApp: { method: 'DELETE', url: '/apps/:app', params: AppParams, querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 256 })) }), response: DestroyedSchema, summary: 'Stop every process and delete the app with its data.' },

  // Config vars
  getConfig: { method: 'GET', url: '/apps/:app/config', params: AppParams, response: ConfigVarsSchema, summary: 'Config vars of the current release.' },
  updateConfig: { method: 'PATCH', url: '/apps/:app/config', params: AppParams, querystring: DryRunQuery, body: ConfigUpdateBody, response: OrPlan(ConfigUpdateResultSchema), summary: 'Set (string) or unset (null) config vars; makes a new release.' },

  // Processes: formation (ps:scale), processes (ps), process types (ps:type)
  getFormation: { method: 'GET', url: '/apps/:app/formation', params: AppParams, response: Type.Array(FormationEntrySchema), summary: 'Desired process counts.' },
  updateFormation: { method: 'PATCH', url: '/apps/:app/formation', params: AppParams, body: FormationUpdateBody, response: Type.Array(FormationEntrySchema), summary: 'Scale process types.' },
  planFormation: { method: 'POST', url: '/apps/:app/formation/plan', params: AppParams, body: FormationUpdateBody, response: PlanSchema, summary: 'What a scale would do, step by step, without doing it.' },
  listProcesses: { method: 'GET', url: '/apps/:app/processes', params: AppParams, response: Type.Array(ProcessSchema), summary: 'Running processes.' },
  restartProcesses: { method: 'POST', url: '/apps/:app/processes/restart', params: AppParams, body: RestartBody, response: Type.Array(ProcessSchema), summary: 'Restart all processes, or those of one type.' },
  stopProcess: { method: 'POST', url: '/apps/:app/processes/:process/stop', params: ProcessParams, response: Type.Array(ProcessSchema), summary: 'Stop one process (SIGTERM, grace, SIGKILL); a formation process is then started again.' },
  listProcessTypes: { method: 'GET', url: '/apps/:app/process-types', params: AppParams, response: Type.Array(ProcessTypeSchema), summary: 'Process types with their grace period, boot timeout and rollout strategy.' },
  updateProcessType: { method: 'PATCH', url: '/apps/:app/process-types/:type', params: ProcessTypeParams, body: ProcessTypeUpdateBody, response: ProcessTypeSchema, summary: 'Change the settings of a process type (null: back to the default).' },

  // Releases
  listReleases: { method: 'GET', url: '/apps/:app/releases', params: AppParams, response: Type.Array(ReleaseSchema), summary: 'List releases, newest first.' },
  rollback: { method: 'POST', url: '/apps/:app/releases/rollback', params: AppParams, querystring: DryRunQuery, body: RollbackBody, response: OrPlan(ReleaseSchema), status: 201, summary: 'Make a new release from an earlier one (default: the one before the current).' },
  planDeploy: { method: 'POST', url: '/apps/:app/releases/plan', params: AppParams, body: DeployPlanBody, response: DeployPlanSchema, summary: 'What rolling out a new release would do, without building or doing it.' },

  // Builds
  listBuilds: { method: 'GET', url: '/apps/:app/builds', params: AppParams, response: Type.Array(BuildSchema), summary: 'List builds, newest first.' },
  getBuild: { method: 'GET', url: '/apps/:app/builds/:build', params: BuildParams, response: BuildSchema, summary: 'One build and its outcome.' },
  cancelBuild: { method: 'POST', url: '/apps/:app/builds/:build/cancel', params: BuildParams, response: BuildSchema, summary: 'Cancel a pending or running build: its commands are killed.' },
  purgeBuildCache: { method: 'DELETE', url: '/apps/:app/build-cache', params: AppParams, response: CachePurgedSchema, summary: 'Forget the build caches of the app (dependencies, package manager and buildpack caches).' },

  // Buildpacks
  listBuildpacks: { method: 'GET', url: '/apps/:app/buildpacks', params: AppParams, response: Type.Array(BuildpackSchema), summary: 'The buildpacks set for the app, in order (empty: app.json or detection).' },
  setBuildpacks: { method: 'PUT', url: '/apps/:app/buildpacks', params: AppParams, body: BuildpacksBody, response: Type.Array(BuildpackSchema), summary: 'Replace the app\'s buildpacks (names, paths or git URLs with #ref); [] clears them.' },

  // Add-ons and attachments
  listAllAddons: { method: 'GET', url: '/addons', response: Type.Array(AddonSchema), summary: 'Every add-on of the platform.' },
  listAddons: { method: 'GET', url: '/apps/:app/addons', params: AppParams, response: Type.Array(AddonSchema), summary: 'Add-ons the app owns or has attached.' },
  createAddon: { method: 'POST', url: '/apps/:app/addons', params: AppParams, body: CreateAddonBody, response: AddonChangeSchema, status: 201, summary: 'Provision an add-on and attach it to the app; makes a new release.' },
  getAddon: { method: 'GET', url: '/apps/:app/addons/:addon', params: AddonParams, response: AddonInfoSchema, summary: 'One add-on (by add-on or attachment name): attachments and provider details.' },
  destroyAddon: { method: 'DELETE', url: '/apps/:app/addons/:addon', params: AddonParams, querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 256 })) }), response: AddonReleasesSchema, summary: 'Detach an add-on everywhere (a release per app), then delete it with its data.' },
  rotateAddonCredentials: { method: 'POST', url: '/apps/:app/addons/:addon/credentials/rotate', params: AddonParams, response: AddonReleasesSchema, summary: 'New credentials for an add-on; a release per attached app.' },
  attachAddon: { method: 'POST', url: '/apps/:app/attachments', params: AppParams, querystring: DryRunQuery, body: AttachAddonBody, response: OrPlan(AddonChangeSchema), status: 201, summary: 'Attach an existing add-on to the app under a config var name; makes a new release.' },
  detachAddon: { method: 'DELETE', url: '/apps/:app/attachments/:name', params: AttachmentParams, querystring: DryRunQuery, response: OrPlan(AddonChangeSchema), summary: 'Remove an attachment (and its config var); makes a new release.' },

  // Domains
  listDomains: { method: 'GET', url: '/apps/:app/domains', params: AppParams, response: Type.Array(DomainSchema), summary: 'Custom domains routed to the app.' },
  addDomain: { method: 'POST', url: '/apps/:app/domains', params: AppParams, body: AddDomainBody, response: DomainSchema, status: 201, summary: 'Route a custom domain (exact, or *.example.com) to the app.' },
  removeDomain: { method: 'DELETE', url: '/apps/:app/domains/:hostname', params: DomainParams, response: DomainRemovedSchema, summary: 'Stop routing a custom domain to the app.' },

  // HTTPS: certificates, redirect mode, HSTS (issue 14)
  listCerts: { method: 'GET', url: '/apps/:app/certs', params: AppParams, response: Type.Array(CertificateSchema), summary: 'The app\'s certificates, each with the custom domains it serves.' },
  addCert: { method: 'POST', url: '/apps/:app/certs', params: AppParams, body: CertificateBody, response: CertificateSchema, status: 201, summary: 'Check and add a certificate chain and its private key (PEM); served at once for the domains it covers.' },
  getCert: { method: 'GET', url: '/apps/:app/certs/:cert', params: CertificateParams, response: CertificateSchema, summary: 'One certificate.' },
  updateCert: { method: 'PUT', url: '/apps/:app/certs/:cert', params: CertificateParams, body: CertificateBody, response: CertificateSchema, summary: 'Replace a certificate (a renewal) without dropping connections.' },
  removeCert: { method: 'DELETE', url: '/apps/:app/certs/:cert', params: CertificateParams, response: CertificateSchema, summary: 'Stop serving a certificate and delete it.' },
  getHttps: { method: 'GET', url: '/apps/:app/https', params: AppParams, response: HttpsSettingsSchema, summary: 'The app\'s HTTPS mode (http or redirect) and HSTS max-age.' },
  getAcm: { method: 'GET', url: '/apps/:app/acm', params: AppParams, response: AcmStatusSchema, summary: 'Automatic certificates (ACME): on or off, and each custom domain\'s state.' },
  enableAcm: { method: 'POST', url: '/apps/:app/acm', params: AppParams, response: AcmStatusSchema, summary: 'Obtain and renew a certificate for every custom domain of the app with ACME (HTTP-01).' },
  disableAcm: { method: 'DELETE', url: '/apps/:app/acm', params: AppParams, response: AcmStatusSchema, summary: 'Stop automatic certificates; the ones issued are removed.' },
  refreshAcm: { method: 'POST', url: '/apps/:app/acm/refresh', params: AppParams, response: AcmStatusSchema, summary: 'Order every domain\'s certificate again now.' },
  updateHttps: { method: 'PATCH', url: '/apps/:app/https', params: AppParams, body: HttpsSettingsBody, response: HttpsSettingsSchema, summary: 'Set the HTTPS mode and/or the HSTS max-age (null: no header).' },

  // Drains
  listDrains: { method: 'GET', url: '/apps/:app/drains', params: AppParams, response: Type.Array(DrainSchema), summary: 'Drains with their counters.' },
  addDrain: { method: 'POST', url: '/apps/:app/drains', params: AppParams, body: CreateDrainBody, response: DrainSchema, status: 201, summary: 'Forward the log stream to a syslog, syslog+tls or https URL.' },
  removeDrain: { method: 'DELETE', url: '/apps/:app/drains/:drain', params: DrainParams, response: DrainSchema, summary: 'Stop and remove a drain (by id or URL).' },

  // Logs
  getLogs: { method: 'GET', url: '/apps/:app/logs', params: AppParams, querystring: LogQuery, response: Type.Array(LogLineSchema), summary: 'Recent log lines (filtered by process, source, since), oldest first.' },
  getLogStats: { method: 'GET', url: '/apps/:app/logs/stats', params: AppParams, response: LogStatsSchema, summary: 'What the log history holds and what it dropped.' },

  // Runs (one-off processes)
  createRun: { method: 'POST', url: '/apps/:app/runs', params: AppParams, body: RunBody, response: RunStartedSchema, status: 201, summary: 'Start a detached one-off process; its output goes to the log stream.' },

  // Audit trail
  listAudit: { method: 'GET', url: '/audit', querystring: AuditQuery, response: Type.Array(AuditEventSchema), summary: 'Every state-changing request on the platform, oldest first (the newest `limit`, default 100).' },
  listAppAudit: { method: 'GET', url: '/apps/:app/audit', params: AppParams, querystring: AuditQuery, response: Type.Array(AuditEventSchema), summary: "The state-changing requests on one app, oldest first (the newest `limit`, default 100)." },

  // Git
  getGit: { method: 'GET', url: '/apps/:app/git', params: AppParams, response: GitInfoSchema, summary: "The app's git repository path and deploy branches." },
  updateGit: { method: 'PATCH', url: '/apps/:app/git', params: AppParams, body: GitUpdateBody, response: GitInfoSchema, summary: 'Set the branch whose pushes deploy (null: main or master).' },
} as const satisfies Record<string, JsonRoute>;

export type RouteName = keyof typeof routes;

type MaybeStatic<T> = T extends TSchema ? Static<T> : never;

/** The input a client passes for a route: only the parts the route declares. */
export type RouteInput<R extends JsonRoute> =
  (R['params'] extends TSchema ? { params: MaybeStatic<R['params']> } : { params?: undefined }) &
  (R['querystring'] extends TSchema ? { query?: MaybeStatic<R['querystring']> } : { query?: undefined }) &
  (R['body'] extends TSchema ? { body: MaybeStatic<R['body']> } : { body?: undefined });

export type RouteOutput<R extends JsonRoute> = Static<R['response']>;
