/**
 * The interfaces the core needs from the outside world. Adapters implement them; main.ts wires
 * them together. Nothing here knows about files, sockets or processes.
 */
import type {
  App, Build, ConfigVars, Formation, LogEvent, LogRecord, ProcessStatus, ProcessTypes, RefUpdate, Release, Slug, SlugRuntime, Token,
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

  getFormation(appId: string): Promise<Formation>;
  setFormation(appId: string, formation: Formation): Promise<void>;

  insertToken(token: Token): Promise<void>;
  findTokenByHash(hash: string): Promise<Token | undefined>;

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
}

export interface BuiltSlug {
  slugId: string;
  buildpack: string;
  processTypes: ProcessTypes;
  sizeBytes: number;
  runtime: SlugRuntime;
}

export interface Builder {
  /** Detects, compiles and stores a slug; throws a DozenError (BUILD_*) when it cannot. */
  build(request: BuildRequest): Promise<BuiltSlug>;
  /** Removes every artifact (slugs, caches) kept for an app. */
  removeApp(app: App): Promise<void>;
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
