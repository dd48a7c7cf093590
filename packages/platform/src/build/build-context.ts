import { basename } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { AppUser, BuildPhase, ConfigVars } from '../core/model.js';
import type { OutputWriter } from '../core/ports/build.js';
import type { BuildContext, RunOptions } from './buildpacks/buildpack.js';
import { describeExit, type CommandResult, type CommandRunner } from './command-runner.js';

export interface BuildContextInput {
  runner: CommandRunner;
  buildDir: string;
  cacheDir: string;
  envDir: string;
  config: ConfigVars;
  /** Config vars in the environment of the commands (built-in buildpacks) or only in ENV_DIR (external ones). */
  configInEnv: boolean;
  /** The build environment, shared along the chain of buildpacks (exports change it). */
  env: Record<string, string>;
  /** Directories every build command may read (the runtime and tool caches). */
  reads: string[];
  /** Directories every build command may write besides the build dir and its cache (HOME). */
  writes: string[];
  /** Who the commands run as. */
  user: AppUser;
  output: OutputWriter;
  signal: AbortSignal;
  timeoutMs: number;
  phase(phase: BuildPhase): void;
  warn(text: string): void;
  setNodeBinDir(dir: string | null): void;
}

// Heroku's export_env_dir deny-list: config vars that would change how the build tools work.
const BUILD_ENV_DENY = /^(PATH|GIT_DIR|CPATH|CPPATH|LD_PRELOAD|LIBRARY_PATH|LD_LIBRARY_PATH|NODE_OPTIONS|HOME)$/;

export function configForBuildEnv(config: ConfigVars): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !BUILD_ENV_DENY.test(key)));
}

/** A BuildContext whose every command goes through the one command runner, with explicit dirs. */
export function createBuildContext(input: BuildContextInput): BuildContext {
  const print = (line: string) => input.output.line(`       ${line}`);
  const run = (argv: [string, ...string[]], options: RunOptions = {}): Promise<CommandResult> => {
    if (input.signal.aborted) throw input.signal.reason;
    const base = input.configInEnv ? { ...configForBuildEnv(input.config), ...input.env } : { ...input.env };
    return input.runner({
      argv,
      cwd: options.cwd ?? input.buildDir,
      env: options.replaceEnv ? (options.env ?? {}) : { ...base, ...options.env },
      reads: [...input.reads, input.buildDir, input.cacheDir, ...(options.reads ?? [])],
      writes: options.readOnly ? [...input.writes, ...(options.writes ?? [])] : [input.buildDir, input.cacheDir, ...input.writes, ...(options.writes ?? [])],
      network: options.network ?? false,
      timeoutMs: input.timeoutMs,
      signal: input.signal,
      onLine: options.quiet ? undefined : print,
      captureStdout: options.capture ?? false,
      user: input.user,
      owned: [input.buildDir, input.cacheDir, ...input.writes],
    });
  };
  const context: BuildContext = {
    buildDir: input.buildDir,
    cacheDir: input.cacheDir,
    envDir: input.envDir,
    config: input.config,
    env: input.env,
    output: input.output,
    signal: input.signal,
    run,
    async exec(argv, options) {
      const result = await run(argv, options);
      if (result.aborted && input.signal.aborted) throw input.signal.reason;
      if (result.code === 0) return result;
      if (options?.quiet) for (const line of result.tail) print(line);
      const label = commandLabel(argv);
      const last = result.tail.filter((line) => line.trim() !== '').slice(-3).join(' | ');
      throw new DozenError('BUILD_FAILED', `\`${label.length > 160 ? `${label.slice(0, 157)}...` : label}\` ${describeExit(result, input.timeoutMs)}${last ? `; its last output: ${last}` : ''}.`);
    },
    async phase(name, work) {
      const started = performance.now();
      const value = await work();
      const ms = Math.round(performance.now() - started);
      input.phase({ name, ms });
      if (ms >= 20) print(`(${name}: ${formatSeconds(ms)})`);
      return value;
    },
    warn: input.warn,
    setNodeBinDir: input.setNodeBinDir,
  };
  return context;
}

/**
 * A command as the user would type it: `npm run build`, not the node binary and npm's script
 * path the platform actually runs.
 */
export function commandLabel(argv: readonly string[]): string {
  const tool = argv.length > 1 && basename(argv[0] ?? '') === 'node' ? /\/(npm|pnpm|yarn)\/bin\/[^/]+$/.exec(argv[1] ?? '')?.[1] : undefined;
  return (tool ? [tool, ...argv.slice(2)] : [basename(argv[0] ?? ''), ...argv.slice(1)]).join(' ');
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
