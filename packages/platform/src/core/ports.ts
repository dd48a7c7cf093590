/**
 * The interfaces the core needs from the outside world. Adapters implement them; main.ts wires
 * them together. Nothing here knows about files, sockets or processes.
 */
import type {
  App, AppManifest, Build, BuildPhase, ConfigVars, Formation, LogEvent, LogRecord, ProcessStatus, ProcessTypes, Release, Slug, SlugRuntime, Token,
} from './model.js';

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

  /** Buildpacks set for the app (`dozen buildpacks:set`), in order; empty: app.json or detection. */
  getBuildpacks(appId: string): Promise<string[]>;
  setBuildpacks(appId: string, buildpacks: string[]): Promise<void>;

  getFormation(appId: string): Promise<Formation>;
  setFormation(appId: string, formation: Formation): Promise<void>;

  insertToken(token: Token): Promise<void>;
  findTokenByHash(hash: string): Promise<Token | undefined>;

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
}

export interface OneOffRequest {
  command: string[];
  onStdout(chunk: Uint8Array): void;
  onStderr(chunk: Uint8Array): void;
  /** Process name in logs and env (default `run.NNNN`), e.g. `release.7` for the release phase. */
  name?: string;
  /** Killed (the whole group) after this long; the exit then reports SIGKILL. */
  timeoutMs?: number;
}

export interface OneOff {
  readonly name: string;
  writeStdin(chunk: Uint8Array): void;
  endStdin(): void;
  kill(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
  readonly exit: Promise<{ code: number | null; signal: string | null }>;
}

export interface Runtime {
  /** Makes the runtime run `target` for `app` (null: nothing) and converge to it from now on. */
  converge(app: string, target: RunTarget | null): void;
  /**
   * Moves `app` to `target`, resolving once its processes are up; on failure the previous target
   * stays and the promise rejects with RELEASE_BOOT_FAILED.
   */
  rollout(target: RunTarget, progress: (line: string) => void): Promise<void>;
  list(app: string): ProcessStatus[];
  restart(app: string, type?: string): Promise<void>;
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
  /** Takes the endpoint out at once (a crash: nothing more can be served there). */
  removeEndpoint(app: string, id: string): void;
  /**
   * Takes the endpoint out of rotation and resolves once the requests in flight to it have
   * finished, or after `timeoutMs`: a planned stop lets them complete before SIGTERM.
   */
  drain(app: string, id: string, timeoutMs: number): Promise<void>;
}

export interface LogSink {
  append(event: LogEvent): void;
}

export interface LogReader {
  recent(app: string, lines: number): LogRecord[];
  /** Calls `listener` for each new line of `app` until the returned function is called. */
  subscribe(app: string, listener: (record: LogRecord) => void): () => void;
  forget(app: string): void;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new unique, URL-safe id. */
  next(): string;
}
