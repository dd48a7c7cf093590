import type { CheckResult } from '../scorecard/check.js';
import type { CheckContext } from '../scorecard/source-snapshot.js';
import type { App, AppManifest, AppUser, BuildPhase, ConfigVars, ProcessTypes, SlugRuntime } from '../model.js';

/** What the build pipeline needs: source intake, the builder, live output. */

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
  /** Called with the buildpacks once they are known, so that a failed build names them too. */
  chosen?(buildpacks: string): void;
  /** Score the source (static scorecard checks, before any build command runs) with this context; absent: don't. */
  scorecard?: CheckContext;
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
  /** The static scorecard checks of the source, when the request asked for them. */
  checks?: CheckResult[];
  /** What scoring the source took (the scan and the static checks), ms; with `checks`. */
  checksMs?: number;
}

export interface Builder {
  /** Detects, compiles and stores a slug; throws a DozenError (BUILD_*) when it cannot. */
  build(request: BuildRequest): Promise<BuiltSlug>;
  /**
   * A copy of one app's slug for another app (a promotion): the same files, owned by the target
   * (its processes run as its own user). Answers the copy's digest, to compare with the source's.
   */
  copySlug(from: { appId: string; slugId: string }, to: { appId: string; slugId: string }): Promise<{ digest: string; sizeBytes: number }>;
  /** Removes every artifact (slugs, caches) kept for an app. */
  removeApp(app: App): Promise<void>;
  /**
   * The slugs garbage collection just collected: copies kept outside this data dir's slugs (the
   * roles' artefacts `slug/<app id>/<slug id>`) go too. Absent: there are none.
   */
  forgetSlugs?(slugs: { appId: string; slugId: string }[]): Promise<void>;
  /** Forgets the app's build caches (dependencies, package manager caches, buildpack caches). */
  purgeCache(app: App): Promise<void>;
  /** Refuses buildpacks that cannot work, when they are set (BUILDPACK_INVALID). */
  checkBuildpacks(urls: string[]): Promise<void>;
}

/** Live build output: written by the pipeline, followed by any number of readers. */
export interface BuildOutputs {
  open(buildId: string): OutputWriter & { close(): string };
  /** Live output, or undefined when the build is not running in this process. */
  follow(buildId: string): AsyncIterable<string> | undefined;
}
