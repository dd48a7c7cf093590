/** Domain types. Timestamps are ISO 8601 strings in UTC, as the store keeps them. */

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
}

export type LogSource = 'app' | 'router' | 'dozen';

export interface LogEvent {
  app: string;
  source: LogSource;
  process: string;
  message: string;
}

export interface LogRecord extends LogEvent {
  id: string;
  /** Microseconds since the epoch. */
  timeMicros: number;
}

export interface Token {
  id: string;
  hash: string;
  role: 'admin';
  description: string;
  createdAt: string;
}

/** One line of a push: git moves `ref` from `oldCommit` to `newCommit` (all zeros: create or delete). */
export interface RefUpdate {
  ref: string;
  oldCommit: string;
  newCommit: string;
}
