import type { BackupDeps } from './ports/backups.js';
import type { SizeTable } from './process-sizes.js';
import type { AppLocks } from './app-locks.js';
import type { BuildQueue } from './build-queue.js';
import type { AddonProviders } from './ports/addons.js';
import type { Builder, BuildOutputs, SourceIntake } from './ports/build.js';
import type { Clock } from './ports/clock.js';
import type { DataDisk } from './ports/data-disk.js';
import type { DomainRoutes } from './ports/domain-routes.js';
import type { DrainHub, LogReader, LogSink } from './ports/logs.js';
import type { GitService } from './ports/git.js';
import type { Ids } from './ports/ids.js';
import type { MetricsSeries } from './ports/metrics-series.js';
import type { Runtime } from './ports/runtime.js';
import type { SecretKeys } from './ports/secret-keys.js';
import type { Store } from './ports/store.js';
import type { TlsRoutes } from './ports/tls-routes.js';
import type { AcmeIssuer } from './ports/acme.js';
import type { CheckResult } from './scorecard/check.js';
import type { App, CronJob, CronRun, Release } from './model.js';
import type { EvidenceStore } from './ports/evidence-store.js';

export interface CoreSettings {
  /** Public URL of an app's web processes. */
  webUrl(app: string): string;
  maxProcessesPerType: number;
  /** The most processes of all types together per app. */
  maxProcessesPerApp: number;
  /** The first uid apps get (one each, from here up). */
  appUidBase: number;
  /** What a process type gets when it sets nothing itself. */
  processDefaults: { graceSeconds: number; bootTimeoutSeconds: number };
  /** The platform domain (DOZEN_DOMAIN): apps are `<app>.<domain>`; custom domains stay outside it. */
  domain: string;
  /** DOZEN_API_DOMAIN: the router serves the platform's API at this name; null: off. */
  apiDomain: string | null;
  /** Plain HTTP requests to the API domain get a 308 to https:// (DOZEN_API_HTTP_MODE=redirect, with an HTTPS listener). */
  apiRedirect: boolean;
  /** The process sizes (the table plus DOZEN_EXTRA_SIZES). */
  sizes: SizeTable;
  /** A size whose quota is above it is refused. */
  hostMemoryBytes: number;
  /** A whole build (queue wait excluded). */
  buildTimeoutMs: number;
  /** The release phase (Procfile `release`) of one release. */
  releasePhaseTimeoutMs: number;
  /** DOZEN_SCORECARD: score every build (static checks) and end the deploy with the score line. */
  scorecard: boolean;
  /** The Heroku stack builds are made for now ($STACK): a promoted slug must have been built for its target's. */
  stack: string;
}

/** Everything a use case may touch; built once by main.ts. */
export interface CoreDeps {
  store: Store;
  runtime: Runtime;
  intake: SourceIntake;
  builder: Builder;
  buildOutputs: BuildOutputs;
  logs: LogSink & LogReader;
  drains: DrainHub;
  clock: Clock;
  ids: Ids;
  locks: AppLocks;
  builds: BuildQueue;
  settings: CoreSettings;
  addons: AddonProviders;
  /** Where custom domains are routed (the router's host table). */
  domainRoutes: DomainRoutes;
  /** Where certificates and HTTPS policies go (the router's TLS table). */
  tlsRoutes: TlsRoutes;
  /** The CA client of automatic certificates, and the scheduler that runs their orders (`kick` after a change). */
  acme: { issuer: AcmeIssuer; retryBaseMs: number; scheduler: { kick(): void } } | null;
  git: GitService;
  /** The master keys of the secrets at rest (`secrets:rotate`). */
  secrets: SecretKeys;
  /** The data dir's disk: garbage collection, `dozen status`, a full disk. */
  disk: DataDisk;
  /** Garbage collection: `kick()` after a release, `stop()` at shutdown (set once `deps` exists, like `acme.scheduler`). */
  gc: { kick(): void; stop(): Promise<void> };
  /** Scheduled jobs (issue 17): "run now" and the stop at shutdown (set once `deps` exists, like `gc`). */
  cron: {
    /** Runs the job now (Heroku Scheduler's "Run now"), skipped while its previous run still runs. */
    trigger(app: App, job: CronJob): Promise<CronRun>;
    stop(): void;
  };
  /** What `dozen status` reports about the platform itself. */
  platform: { version: string; startedAt: Date; schema: () => string; store: 'sqlite' | 'postgres' };
  /** Backup archives, their schedule and state (issue 15). */
  backups: BackupDeps;
  /** The apps' metrics series, kept by the edge (issue 16). */
  metrics: MetricsSeries;
  /** The runtime half of a release's scorecard (issue 18): results of the checks its processes were seen to pass or fail. */
  runtimeResults(release: Release): Promise<CheckResult[]>;
  /** The runtime evidence of releases, for the scorecard (issue 18). */
  evidence: EvidenceStore;
  /** What the scorecard cost each deploy (issue 18, acceptance 4; main.ts: a debug log line, which `npm run bench -- scorecard` reads). Absent: not measured. */
  scorecardCost?: ScorecardCostMeter;
}

export interface ScorecardCostMeter {
  /** A monotonic time in ms (performance.now()): the core's clock has only dates. */
  now(): number;
  report(cost: ScorecardCost): void;
}

/** The scorecard's work on one deploy's path, in ms. */
export interface ScorecardCost {
  app: string;
  build: string;
  release: number;
  /** The source scan and the static checks, in the build. */
  staticMs: number;
  /** The score line: the release's evidence read from the store, graded, and the line written. */
  scoreLineMs: number;
  /** Both. */
  scorecardMs: number;
}

/**
 * The deps of a use case that acts for someone: `actor` names them in the app's log stream
 * (`dozen[api]: Set GREETING config vars by ada@example.com`). The API makes one per request
 * (api/acting.ts); the platform's own actions (a push's deploy names the pusher) make theirs.
 */
export type ActingDeps = CoreDeps & {
  /** The user's email, `admin` for the host's admin token. */
  actor: string;
};
