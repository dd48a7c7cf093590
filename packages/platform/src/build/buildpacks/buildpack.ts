import type { ConfigVars, ProcessTypes } from '../../core/model.js';
import type { OutputWriter } from '../../core/ports.js';

export interface BuildContext {
  buildDir: string;
  cacheDir: string;
  config: ConfigVars;
  output: OutputWriter;
  /** Runs a program (never a shell) in the build directory; throws BUILD_FAILED on a non-zero exit. */
  exec(program: string, args: string[], options?: { label?: string }): Promise<void>;
}

/** Heroku's buildpack contract, in-process: detect, compile, release. */
export interface Buildpack {
  readonly id: string;
  readonly name: string;
  detect(buildDir: string): Promise<boolean>;
  compile(context: BuildContext): Promise<void>;
  /** Process types the buildpack offers when the Procfile does not name them. */
  defaultProcessTypes(buildDir: string): Promise<ProcessTypes>;
}
