/**
 * The interfaces the core needs from the outside world. Adapters implement them; main.ts wires
 * them together. Nothing here knows about files, sockets or processes.
 */
import type {
  Addon, AddonAttachment, AddonResource, App, AppManifest, AppUser, Build, BuildPhase, ConfigVars, Domain, Drain, DrainStats, Formation, LogEvent, LogFilter, LogHistoryStats, LogRecord, ProcessStatus, ProcessTypes, ProcessTypeSettings, RefUpdate, Release, Slug, SlugRuntime, Token,
} from './model.js';
import type { ObservedRuntime } from './formation-plan.js';

/** An attachment of the app with the add-on it points at, as the plan needs it. */
export interface AttachedAddon {
  attachment: AddonAttachment;
  addonName: string;
  url: string;
}

/** Everything a release plan reads, loaded once (under the app's lock) by `Store.loadReleaseState`. */
export interface ReleaseState {
  app: App;
  current: Release | undefined;
  latestVersion: number;
  attachments: AttachedAddon[];
  formation: Formation;
  settings: Record<string, ProcessTypeSettings>;
  /** The slug the change runs (the current release's, or a rollback's target's); absent: none. */
  slug: Slug | undefined;
  /** The app's user; null when there is no slug to run. */
  user: AppUser | null;
}


export interface Store {
  /** Runs `fn` in one transaction; the store passed to `fn` is bound to it. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  insertApp(app: App): Promise<void>;
  findApp(name: string): Promise<App | undefined>;
  listApps(): Promise<App[]>;
  deleteApp(appId: string): Promise<void>;
  setCurrentRelease(appId: string, version: number): Promise<void>;

  insertBuild(build: Build): Promise<void>;
  updateBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>): Promise<void>;
  findBuild(appId: string, buildId: string): Promise<Build | undefined>;
  listBuilds(appId: string, limit: number): Promise<Build[]>;
  saveBuildOutput(buildId: string, output: string): Promise<void>;
  getBuildOutput(buildId: string): Promise<string | undefined>;

  insertSlug(slug: Slug): Promise<void>;
  findSlug(slugId: string): Promise<Slug | undefined>;

  insertRelease(release: Release): Promise<void>;
  updateRelease(appId: string, version: number, patch: Partial<Pick<Release, 'status' | 'failure'>>): Promise<void>;
  findRelease(appId: string, version: number): Promise<Release | undefined>;
  listReleases(appId: string, limit: number): Promise<Release[]>;
  latestReleaseVersion(appId: string): Promise<number>;
  /**
   * Everything a release plan reads, in one call: the app as it is now, its current release and
   * latest version, attachments with their add-ons, formation, process settings, the slug
   * `slugId` names ('current': the current release's) and, when that slug exists, the app's user
   * (allocated on first use, as `appUid`). Undefined: no such app.
   */
  loadReleaseState(appId: string, options: { slugId: string | null | 'current'; uidBase: number }): Promise<ReleaseState | undefined>;
  /** The release succeeded and is the app's current one (one transaction). */
  markReleaseCurrent(appId: string, version: number): Promise<void>;

  /** Buildpacks set for the app (`dozen buildpacks:set`), in order; empty: app.json or detection. */
  getBuildpacks(appId: string): Promise<string[]>;
  setBuildpacks(appId: string, buildpacks: string[]): Promise<void>;

  getFormation(appId: string): Promise<Formation>;
  setFormation(appId: string, formation: Formation): Promise<void>;

  insertToken(token: Token): Promise<void>;

  insertDrain(drain: Drain): Promise<void>;
  listDrains(appId: string): Promise<Drain[]>;
  deleteDrain(appId: string, drainId: string): Promise<void>;
  findTokenByHash(hash: string): Promise<Token | undefined>;

  insertAddon(addon: Addon): Promise<void>;
  updateAddonUrl(addonId: string, url: string): Promise<void>;
  findAddon(name: string): Promise<Addon | undefined>;
  findAddonById(addonId: string): Promise<Addon | undefined>;
  /** Every add-on, or those owned by one app; by name. */
  listAddons(ownerAppId?: string): Promise<Addon[]>;
  /** Deletes the add-on and all its attachments. */
  deleteAddon(addonId: string): Promise<void>;
  /** Fails (unique constraint) when the app already has an attachment of that name. */
  insertAttachment(attachment: AddonAttachment): Promise<void>;
  deleteAttachment(attachmentId: string): Promise<void>;
  listAttachments(filter: { appId?: string; addonId?: string }): Promise<AddonAttachment[]>;

  /** The app's uid: allocated on the first call (from `base` up, never reused), then always the same. */
  appUid(appId: string, base: number): Promise<number>;
  getProcessSettings(appId: string): Promise<Record<string, ProcessTypeSettings>>;
  /** Replaces the settings of one process type; an empty object returns it to the defaults. */
  setProcessSettings(appId: string, type: string, settings: ProcessTypeSettings): Promise<void>;

  insertDomain(domain: Domain): Promise<void>;
  /** The domain with this hostname, whichever app has it. */
  findDomain(hostname: string): Promise<Domain | undefined>;
  /** An app's domains, or every domain when `appId` is undefined; sorted by hostname. */
  listDomains(appId?: string): Promise<Domain[]>;
  deleteDomain(domainId: string): Promise<void>;

  /** The app's own deploy branch; null: the default ones. */
  getDeployBranch(appId: string): Promise<string | null>;
  setDeployBranch(appId: string, branch: string | null): Promise<void>;

  close(): Promise<void>;
}

/** Turns an uploaded archive into a fresh source directory, refusing anything unsafe. */
export interface SourceIntake {
  receive(body: AsyncIterable<Uint8Array>): Promise<SourceHandle>;
}

export interface SourceHandle {
  /** Opaque to the core; the builder knows what it is. */
  readonly location: string;
  dispose(): Promise<void>;
}

export interface OutputWriter {
  line(text: string): void;
}

export interface BuildRequest {
  app: App;
  buildId: string;
  source: SourceHandle;
  config: ConfigVars;
  output: OutputWriter;
  /** The app's buildpacks (`buildpacks:set`); empty: app.json `buildpacks`, else detection. */
  buildpacks: string[];
  /** Aborted on cancel or timeout: the running command's process group is killed. */
  signal: AbortSignal;
  /** Called with each phase as it ends. */
  phase(phase: BuildPhase): void;
  /** Called with each warning (also printed in the output). */
  warn(text: string): void;
  /** The app's own user: build commands run as it (in the sandbox, when there is one). */
  user: AppUser;
}

export interface BuiltSlug {
  /** Content-addressed: the same files (and metadata) in the same app give the same id. */
  slugId: string;
  digest: string;
  /** An identical slug existed: it is reused and nothing new was stored. */
  reused: boolean;
  buildpack: string;
  processTypes: ProcessTypes;
  sizeBytes: number;
  runtime: SlugRuntime;
  manifest: AppManifest;
}

export interface Builder {
  /** Detects, compiles and stores a slug; throws a DozenError (BUILD_*) when it cannot. */
  build(request: BuildRequest): Promise<BuiltSlug>;
  /** Removes every artifact (slugs, caches) kept for an app. */
  removeApp(app: App): Promise<void>;
  /** Forgets the app's build caches (dependencies, package manager caches, buildpack caches). */
  purgeCache(app: App): Promise<void>;
}

/** Live build output: written by the pipeline, followed by any number of readers. */
export interface BuildOutputs {
  open(buildId: string): OutputWriter & { close(): string };
  /** Live output, or undefined when the build is not running in this process. */
  follow(buildId: string): AsyncIterable<string> | undefined;
}

/** Everything the runtime needs to run one release of an app. */
export interface RunTarget {
  app: string;
  appId: string;
  release: number;
  slugId: string;
  config: ConfigVars;
  processTypes: ProcessTypes;
  formation: Formation;
  runtime: SlugRuntime;
  /** The app's own unprivileged user (sandboxed processes run as it). */
  user: AppUser;
  /** Per process type overrides of grace period, boot timeout and rollout strategy. */
  settings?: Record<string, ProcessTypeSettings>;
}

export interface OneOffRequest {
  command: string[];
  onStdout(chunk: Uint8Array): void;
  onStderr(chunk: Uint8Array): void;
  /** Process name in logs and env (default `run.NNNN`), e.g. `release.7` for the release phase. */
  name?: string;
  /** Killed (the whole group) after this long; the exit then reports SIGKILL. */
  timeoutMs?: number;
  /** Set on top of the release's env (an add-on client's credentials), never logged. */
  env?: Record<string, string>;
  /** Run on a terminal of this size (stdout then carries everything; stderr stays empty). */
  tty?: { columns: number; rows: number; term: string };
}

export interface OneOff {
  readonly name: string;
  writeStdin(chunk: Uint8Array): void;
  endStdin(): void;
  kill(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
  /** Resizes its terminal (no effect without one). */
  resize(columns: number, rows: number): void;
  /** Flow control for a caller that cannot keep up: the process blocks on its output meanwhile. */
  pauseOutput(): void;
  resumeOutput(): void;
  readonly exit: Promise<{ code: number | null; signal: string | null }>;
}

export interface Runtime {
  /** Makes the runtime run `target` for `app` (null: nothing) and converge to it from now on. */
  converge(app: string, target: RunTarget | null): void;
  /**
   * Moves `app` to `target`, resolving once its processes are up, and converges to it from then
   * on (the target is handed over once); on failure the previous target stays and the promise
   * rejects with RELEASE_BOOT_FAILED.
   */
  rollout(target: RunTarget, progress: (line: string) => void): Promise<void>;
  list(app: string): ProcessStatus[];
  /** Restarts every process, those of a type (`web`) or one process (`web.2`); web rolls. */
  restart(app: string, selector?: string): Promise<void>;
  /**
   * Stops one process (SIGTERM, grace, SIGKILL): a one-off for good; a formation process is then
   * started again by the reconcile loop, as Heroku's `ps:stop` does.
   */
  stop(app: string, process: string): Promise<void>;
  /** What runs for `app` now, for the pure planner to plan a dry run from. */
  observe(app: string): ObservedRuntime;
  /** Stops every process of the app and forgets it. */
  remove(app: string): Promise<void>;
  runOneOff(target: RunTarget, request: OneOffRequest): OneOff;
  shutdown(): Promise<void>;
}

/** The router's view of where an app's web processes listen. Fed by the runtime. */
export interface RouteTable {
  declareApp(app: string): void;
  removeApp(app: string): void;
  addEndpoint(app: string, endpoint: { id: string; process: string; port: number }): void;
  /**
   * Takes the endpoint out at once (a crash: nothing more can be served there). When it was the
   * app's last one, the router answers "app crashed" (H10) until a process is added again.
   */
  removeEndpoint(app: string, id: string): void;
  /**
   * Takes the endpoint out of rotation and resolves once the requests in flight to it have
   * finished, or after `timeoutMs`: a planned stop lets them complete before SIGTERM.
   */
  drain(app: string, id: string, timeoutMs: number): Promise<void>;
}

export interface SandboxBind {
  /** A path on the host. */
  source: string;
  /** Where the process sees it. */
  target: string;
  writable: boolean;
}

export interface SandboxRequest {
  /** argv[0] is a path or a name looked up in env.PATH, as the process sees the filesystem. */
  argv: string[];
  /** The working directory as the process sees it (a bind target). */
  cwd: string;
  /** The whole environment: nothing else is added. */
  env: Record<string, string>;
  user: AppUser;
  binds: SandboxBind[];
  /** Whether stdin is a pipe (`write`, `endInput`); otherwise it reads /dev/null. */
  stdin: boolean;
  /** Run on a terminal: output then arrives as 'stdout' only. */
  tty?: { columns: number; rows: number } | undefined;
  output(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
}

export interface SandboxedProcess {
  write(chunk: Uint8Array): void;
  endInput(): void;
  resize(columns: number, rows: number): void;
  /** Flow control: stop reading its output (it blocks once the pipe is full) and go on. */
  pauseOutput(): void;
  resumeOutput(): void;
  /**
   * SIGTERM reaches every process it started; SIGINT its main process (group); SIGKILL ends
   * everything at once.
   */
  signal(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
  /** The host pid of the main process and the memory of all its processes, when known. */
  usage(): { pid: number | null; rssBytes: number | null };
  /**
   * Resolves once the main process has exited and nothing it started is left. `error` says why
   * it could not start at all.
   */
  readonly exit: Promise<{ code: number | null; signal: string | null; error: string | null }>;
}

/**
 * Runs a program isolated from the host and from other apps: read-only and writable binds, a
 * private /tmp, an unprivileged uid, its own pid namespace, the host's network. Used for app
 * processes (and, later, builds).
 */
export interface Sandbox {
  /** `none`: the fallback that runs programs unsandboxed (it says why in `note`). */
  readonly kind: 'bubblewrap' | 'none';
  readonly note: string;
  /** Where `bind` appears to the process: its target when sandboxed, its source otherwise. */
  pathInside(bind: SandboxBind): string;
  /** Lets `user` read `dir` (a read-only bind it gets). Idempotent. */
  grant(dir: string, user: AppUser): Promise<void>;
  run(request: SandboxRequest): SandboxedProcess;
}

/** The router's view of custom domains (exact or `*.example.com`). Fed at start and on change. */
export interface DomainRoutes {
  /** Replaces the custom domains routed to `app` (an empty list removes them all). */
  setDomains(app: string, hostnames: string[]): void;
}

/** One metric family, in Prometheus terms. `suffix` is `_bucket`, `_sum` or `_count` for histograms. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: { suffix?: string; labels: Record<string, string>; value: number }[];
}

/** Something that measures itself (the router); the API exposes what it collects at /metrics. */
export interface MetricsSource {
  collect(): MetricFamily[];
}

export interface LogSink {
  append(event: LogEvent): void;
}

export interface LogReader {
  /** The newest `lines` lines matching `filter`, oldest first; `upTo`: the last id the history held. */
  recent(app: string, lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }>;
  /**
   * Lines after id `afterId`, oldest first, at most `limit` of them (matching `filter`);
   * `upTo`: the id read up to; `skipped`: lines after `afterId` that the history no longer holds.
   */
  after(app: string, afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }>;
  /** Calls `wake` whenever new lines of `app` can be read, until the returned function is called. */
  watch(app: string, wake: () => void): () => void;
  stats(app: string): LogHistoryStats;
  /** Deletes the app's history. */
  forget(app: string): void;
}

/** Forwards app log streams to drains (syslog, HTTPS). */
export interface DrainHub {
  /** Refuses (DRAIN_URL_FORBIDDEN) a URL whose host resolves to an address drains may not reach. */
  verify(url: string): Promise<void>;
  start(app: string, drain: Drain): void;
  stop(drainId: string): Promise<void>;
  stats(drainId: string): DrainStats;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new unique, URL-safe id. */
  next(): string;
}

export interface ProvisionRequest {
  /** The add-on's id: providers derive their resource names from it. */
  addonId: string;
  plan: string;
  /** The `url` provider's input. */
  url?: string;
}

export interface ProvisionedAddon {
  url: string;
  resource: AddonResource;
}

/**
 * A kind of backing service (postgres, redis, url). Every implementation passes the conformance
 * suite in addons/addon-conformance.ts.
 */
export interface AddonProvider {
  readonly name: string;
  /** The first is the default. */
  readonly plans: readonly string[];
  /** The config var an attachment sets when none is named; null: a name must be given. */
  readonly defaultConfigVar: string | null;
  /** Creates the resource and its credentials. On failure nothing is left behind (DozenError ADDON_*). */
  provision(request: ProvisionRequest): Promise<ProvisionedAddon>;
  /** Deletes the resource with its data and disconnects its clients; a resource already gone is fine. */
  deprovision(resource: AddonResource): Promise<void>;
  /** Facts for `addons:info`; never credentials. */
  info(resource: AddonResource): Promise<Record<string, string>>;
  /** New credentials; the old ones stop working for new connections. */
  rotateCredentials(resource: AddonResource): Promise<ProvisionedAddon>;
}

export type AddonClientTool = 'psql' | 'redis-cli';

/** The registry of providers, and the admin clients that reach their resources. */
export interface AddonProviders {
  get(name: string): AddonProvider | undefined;
  names(): string[];
  /** The argv and env of `tool` connected to `url` (credentials in env, not argv). */
  client(tool: AddonClientTool, url: string, args: string[]): { command: string[]; env: Record<string, string> };
}

/** One git smart-HTTP request for an app's repository, as the API received it. */
export interface GitRequest {
  method: 'GET' | 'POST';
  /** `info/refs`, `git-upload-pack` or `git-receive-pack`. */
  action: 'info/refs' | 'git-upload-pack' | 'git-receive-pack';
  /** The `service` of an `info/refs` request. */
  service: 'git-upload-pack' | 'git-receive-pack' | null;
  headers: { contentType?: string | undefined; contentEncoding?: string | undefined; gitProtocol?: string | undefined };
  body: AsyncIterable<Uint8Array>;
  /** Who is asking (for git's logs and reflogs); never a secret. */
  user: string;
  remoteAddress: string;
}

export interface GitResponse {
  status: number;
  headers: Record<string, string>;
  /** Streamed as git writes it; a reader that stops early does not stop a push under way. */
  body: AsyncIterable<Uint8Array>;
}

/** The app's bare repository, served by git itself. */
export interface GitService {
  serve(app: App, request: GitRequest): Promise<GitResponse>;
  /** Deletes the app's repository. */
  removeRepository(app: App): Promise<void>;
}

/**
 * A push, as the pre-receive step sees it: the ref updates git is about to make, and the pushed
 * objects (still in quarantine) to read a commit from. Until `receivePush` answers, git waits.
 */
export interface Push {
  app: App;
  updates: RefUpdate[];
  /** The repository's refs (name -> commit) as they are now, after earlier pushes to the app finished. */
  refs: Record<string, string>;
  /** The tree of `commit` as a tar stream; throws GIT_TREE_UNSUPPORTED for submodules or nested .git. */
  archive(commit: string): AsyncIterable<Uint8Array>;
  /** Lines for the pusher's terminal (git prints them as `remote:` lines). */
  output: OutputWriter;
}

/** What the platform answers a push: accepted, git updates the refs; refused, git changes nothing. */
export interface PushVerdict {
  accepted: boolean;
}
