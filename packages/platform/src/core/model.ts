/** Domain types. Timestamps are ISO 8601 strings in UTC, as the store keeps them. */
import type { CheckResult } from './scorecard/check.js';

export type ConfigVars = Record<string, string>;
/** Procfile: process type -> command. */
export type ProcessTypes = Record<string, string>;
/** Desired number of processes per type. */
export type Formation = Record<string, number>;

export interface App {
  id: string;
  name: string;
  createdAt: string;
  currentRelease: number | null;
}

export type BuildStatus = 'pending' | 'building' | 'releasing' | 'succeeded' | 'failed';

export interface Failure {
  code: string;
  message: string;
  hint: string;
}

/** One timed step of a build: detect, install, build, prune, slug. */
export interface BuildPhase {
  name: string;
  ms: number;
}

export interface Build {
  id: string;
  appId: string;
  status: BuildStatus;
  buildpack: string | null;
  slugId: string | null;
  release: number | null;
  error: Failure | null;
  createdAt: string;
  finishedAt: string | null;
  /** The git commit the source came from (a push, `deploy --ref`), else null. */
  commit: string | null;
  /** Timed steps, once the build ran them. */
  phases?: BuildPhase[];
  /** What the build warned about (no lockfile, ignored app.json keys...): for a scorecard. */
  warnings?: string[];
  /** The results of the scorecard's static checks over its source (issue 18); absent: not scored. */
  checks?: CheckResult[];
}

/** app.json `env` entry: a default value, a generated secret, or a var that must be set. */
export interface AppEnvVar {
  value: string | null;
  generator: 'secret' | null;
  required: boolean;
}

/** What app.json asks of the releases made from a slug (Heroku's format). */
export interface AppManifest {
  env: Record<string, AppEnvVar>;
  /** Default quantities for process types the formation does not know yet. */
  formation: Formation;
  /** `formation.<type>.size`: the size of types that set none themselves (`ps:resize`). */
  sizes?: Record<string, string>;
  /** `scripts.postdeploy`: run once, after the app's first deploy is released. */
  postdeploy: string | null;
  /** `environments.review.env`: over `env`, for review apps (issue 17). */
  reviewEnv?: Record<string, AppEnvVar>;
  /** `addons`: provisioned for each review app (provider, optional plan and attachment name). */
  addons?: { provider: string; plan?: string; as?: string }[];
  /** app.json `cron` (Dokku's shape), [] when app.json has none; absent: the slug had no app.json. */
  cron?: AppJsonCronEntry[];
}

/** One app.json `cron` entry: `{"command": "...", "schedule": "*\/10 * * * *"}`. */
export interface AppJsonCronEntry {
  command: string;
  schedule: string;
}

/** app.json `healthchecks` entry (Dokku's shape): checked on a new web process before it serves. */
export interface HealthCheck {
  type: 'startup';
  name: string;
  path: string;
  attempts: number;
  timeoutSeconds: number;
  waitSeconds: number;
  initialDelaySeconds: number;
}

/** What a build knows about how its slug runs. */
export interface SlugRuntime {
  /** Directory holding the `node` binary the app builds and runs with; null: the platform's own. */
  nodeBinDir: string | null;
  /** Health checks per process type (today: `web`). */
  healthchecks: Record<string, HealthCheck[]>;
  /** The Heroku stack it was built for ($STACK of its build); absent: built before slugs recorded it. */
  stack?: string;
}

export interface Slug {
  id: string;
  appId: string;
  buildId: string;
  processTypes: ProcessTypes;
  buildpack: string;
  sizeBytes: number;
  runtime: SlugRuntime;
  createdAt: string;
  /** sha256 over the slug's files (paths, modes, contents, link targets). */
  digest?: string;
  manifest?: AppManifest;
  /** When garbage collection removed its files (absent: they are kept); a rollback to it is refused. */
  collectedAt?: string;
}

export type ReleaseStatus = 'pending' | 'succeeded' | 'failed';

export interface Release {
  id: string;
  appId: string;
  version: number;
  slugId: string | null;
  buildId: string | null;
  config: ConfigVars;
  description: string;
  status: ReleaseStatus;
  failure: string | null;
  createdAt: string;
  /** Keys of `config` that add-on attachments set (absent: none). */
  addonVars?: string[];
  /** The git commit whose code the release runs (kept by config changes and rollbacks), else null. */
  commit: string | null;
}

export type ProcessState = 'starting' | 'up' | 'crashed' | 'stopping';

/** What the runtime reports about one process. */
export interface ProcessStatus {
  id: string;
  name: string;
  type: string;
  index: number;
  release: number;
  state: ProcessState;
  command: string;
  pid: number | null;
  port: number | null;
  startedAt: string | null;
  restarts: number;
  lastExit: string | null;
  nextRestartAt: string | null;
  /** Resident memory of all the process's processes (bytes), when known. */
  rssBytes: number | null;
  /** CPU time (user + system) of all its processes since it started (seconds), when known. */
  cpuSeconds: number | null;
  /** Its process size, and its memory quota when one is enforced (R14 over it, R15 at twice it). */
  size: string | null;
  memoryQuotaBytes: number | null;
  /** Whether it runs in the sandbox (false: unsandboxed fallback, see the platform's start log). */
  sandboxed: boolean;
}

export type LogSource = 'app' | 'router' | 'dozen';

export interface LogEvent {
  app: string;
  source: LogSource;
  process: string;
  message: string;
}

export interface LogRecord extends LogEvent {
  /** Per app, increasing by one per line, never reused (also across platform restarts). */
  id: number;
  /** Microseconds since the epoch, taken when the line was collected; increasing per app. */
  timeMicros: number;
}

/** Which lines a reader wants; every field narrows. */
export interface LogFilter {
  /** A process type (`web`: every `web.N`) or one process (`web.1`). */
  process?: string;
  source?: LogSource;
  /** Only lines at or after this time (µs since the epoch). */
  sinceMicros?: number;
  /** Only lines with an id below this one (paging back through the history). */
  beforeId?: number;
}

/** What an app's history holds, and what it has lost (oldest first, by retention). */
export interface LogHistoryStats {
  lines: number;
  bytes: number;
  firstId: number | null;
  lastId: number | null;
  /** Lines removed from the history since the app's logs began, in total and per `source[process]`. */
  dropped: number;
  droppedByProcess: Record<string, number>;
}

export type DrainKind = 'syslog' | 'syslog+tls' | 'https';

/** A drain: where an app's log stream is forwarded. The URL may hold credentials: never show it whole. */
export interface Drain {
  id: string;
  appId: string;
  url: string;
  createdAt: string;
}

/** Counters of a drain since the platform started. */
export interface DrainStats {
  delivered: number;
  dropped: number;
  retries: number;
  queued: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

/** Heroku's four app permissions (the same names as the contracts' PERMISSIONS). */
export type Permission = 'view' | 'deploy' | 'operate' | 'manage';

/**
 * An API token, stored as its sha256 only. `userId` null: the host's admin token. `appId` and
 * `permissions` restrict it (null: no restriction beyond its owner's rights, checked at each use).
 */
export interface Token {
  id: string;
  hash: string;
  role: 'admin' | 'user';
  description: string;
  createdAt: string;
  userId: string | null;
  appId: string | null;
  permissions: Permission[] | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A person with an email and a password (scrypt; null until they used their setup code). */
export interface User {
  id: string;
  email: string;
  passwordHash: string | null;
  /** sha256 of the one-time setup code and when it expires; null once used. */
  setupCodeHash: string | null;
  setupExpiresAt: string | null;
  createdAt: string;
}

/** A collaborator's permissions on one app (the owner has them all, without a row). */
export interface AppAccess {
  appId: string;
  userId: string;
  permissions: Permission[];
}

/** Who makes a request, resolved from its token by the one authorization hook. */
export interface Principal {
  tokenId: string;
  userId: string | null;
  /** The user's email, or 'admin' for the host token. */
  label: string;
  /** The platform admin: every permission on every app. */
  admin: boolean;
  /** The token's own limits (null: none). */
  appId: string | null;
  permissions: Permission[] | null;
}

/** A backing service provisioned by a provider (or a URL the user attached), owned by one app. */
export interface Addon {
  id: string;
  /** Unique and user-facing, e.g. `postgres-3f9a1c2e`. */
  name: string;
  provider: string;
  plan: string;
  /** The owning app: destroying it destroys the add-on. */
  appId: string;
  /** What apps get in their config: carries the credentials. */
  url: string;
  /** The provider's own handle of the resource (database and role names, ACL user...). */
  resource: AddonResource;
  createdAt: string;
}

export type AddonResource = Record<string, string>;

/** An add-on attached to an app under a config var name (`DATABASE_URL`). */
export interface AddonAttachment {
  id: string;
  addonId: string;
  appId: string;
  name: string;
  createdAt: string;
}

/**
 * How a process type moves to a new revision. `start-first` overlaps old and new (no gap in
 * serving: web); `stop-first` never runs two at once (no double consumers: workers).
 */
export type RolloutStrategy = 'start-first' | 'stop-first';

/** Per app and process type: overrides of the platform's defaults (absent: the default). */
export interface ProcessTypeSettings {
  graceSeconds?: number;
  bootTimeoutSeconds?: number;
  strategy?: RolloutStrategy;
  /** The process size (core/process-sizes.ts). */
  size?: string;
}

/** The unprivileged user every process of one app runs as: one per app, never reused. */
export interface AppUser {
  uid: number;
  gid: number;
}

/** A custom domain routed to an app: exact (`www.example.com`) or wildcard (`*.example.com`). */
export interface Domain {
  id: string;
  appId: string;
  hostname: string;
  createdAt: string;
}

/** One line of a push: git moves `ref` from `oldCommit` to `newCommit` (all zeros: create or delete). */
export interface RefUpdate {
  ref: string;
  oldCommit: string;
  newCommit: string;
}

/** Who made a request, as the audit trail records it: the token, its user (if any) and how to name them. */
export interface AuditActor {
  tokenId: string | null;
  userId: string | null;
  /** The user's email, `admin` for the host's admin token, `anonymous` without a valid token. */
  label: string;
}

/** One state-changing request, as the append-only audit trail keeps it. */
export interface AuditEvent {
  id: string;
  /** ISO 8601. */
  time: string;
  actor: AuditActor;
  /** The app's name when the request named one (kept after the app is destroyed). */
  app: string | null;
  /** The route's name in the contract (updateConfig, createBuild, ...). */
  action: string;
  method: string;
  path: string;
  /** Path parameters, query and body, with secret values redacted. */
  params: Record<string, unknown>;
  /** The HTTP status and, for a failure, the error's code. */
  result: { status: number; code: string | null };
  requestId: string;
  remoteAddress: string;
}

export interface AuditQuery {
  app?: string | undefined;
  /** Milliseconds since the epoch: only events at or after. */
  sinceMs?: number | undefined;
  limit: number;
}

/** A scheduled job of an app (Heroku Scheduler, app.json `cron`); its command runs as a one-off. */
export interface CronJob {
  id: string;
  appId: string;
  /** A cron expression, UTC (core/cron-expression.ts). */
  schedule: string;
  /** One argument: run by the shell; several: passed as they are (as `dozen run`). */
  command: string[];
  /** `cli`: `dozen cron:add` (kept across deploys); `app.json`: replaced at each deploy with app.json. */
  source: 'cli' | 'app.json';
  createdAt: string;
}

/** One run of a scheduled job: `running` until its process exits, `skipped` when the previous one still ran. */
export interface CronRun {
  id: string;
  jobId: string;
  appId: string;
  /** The minute it was due (a trigger: the time it was asked for). */
  scheduledFor: string;
  trigger: 'schedule' | 'missed' | 'manual';
  status: 'running' | 'ran' | 'failed' | 'skipped';
  /** `scheduler.N`; null for a skipped run. */
  process: string | null;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  /** Why it was skipped or failed to start. */
  note: string | null;
}
