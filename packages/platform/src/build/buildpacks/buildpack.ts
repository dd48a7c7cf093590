import type { ConfigVars, ProcessTypes } from '../../core/model.js';
import type { OutputWriter } from '../../core/ports/build.js';
import type { CommandResult } from '../command-runner.js';

export interface RunOptions {
  /** Extra directories the command reads / writes besides the build dir and this buildpack's cache. */
  reads?: string[];
  writes?: string[];
  /** The build dir and the cache are read-only for it: it writes only `writes` (detect, release). */
  readOnly?: boolean;
  network?: boolean;
  /** Keep stdout in the result instead of printing it. */
  capture?: boolean;
  cwd?: string;
  /** Environment additions for this command only. */
  env?: Record<string, string>;
  /** Print the output (default true). */
  quiet?: boolean;
  /** Use `env` as the whole environment instead of adding it to the build's. */
  replaceEnv?: boolean;
}

/** What a buildpack gets to work with; every program it starts goes through `run`. */
export interface BuildContext {
  buildDir: string;
  /** This buildpack's cache for the app, kept across builds. */
  cacheDir: string;
  /** Heroku's ENV_DIR: one file per config var (name = key, content = value). */
  envDir: string;
  config: ConfigVars;
  /** The build environment (clean; plus what earlier buildpacks exported). */
  env: Record<string, string>;
  output: OutputWriter;
  signal: AbortSignal;
  /** Runs argv (never a shell) through the command runner; never throws for a non-zero exit. */
  run(argv: [string, ...string[]], options?: RunOptions): Promise<CommandResult>;
  /** Like run, but a non-zero exit fails the build with the command's last output. */
  exec(argv: [string, ...string[]], options?: RunOptions): Promise<CommandResult>;
  /** Times a named phase (install, build, prune...) and prints its duration. */
  phase<T>(name: string, work: () => Promise<T>): Promise<T>;
  warn(text: string): void;
  /** The Node.js the app builds and runs with (null: the platform's own). */
  setNodeBinDir(dir: string | null): void;
}

/** Heroku's buildpack contract: detect, compile, release. */
export interface Buildpack {
  readonly id: string;
  readonly name: string;
  /** The name to show when the app is detected, or null when it is not for this buildpack. */
  detect(context: BuildContext): Promise<string | null>;
  compile(context: BuildContext): Promise<void>;
  /** Process types the buildpack offers when the Procfile does not name them. */
  release(context: BuildContext): Promise<ProcessTypes>;
}
