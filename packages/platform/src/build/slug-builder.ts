import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { App, ConfigVars, ProcessTypes } from '../core/model.js';
import type { Builder, BuildRequest, BuiltSlug } from '../core/ports.js';
import { parseProcfile } from '../core/procfile.js';
import type { Buildpack, BuildContext } from './buildpacks/buildpack.js';
import { runCommand } from './command-runner.js';

export interface SlugBuilderOptions {
  /** Where slugs live: `<slugsDir>/<app id>/<slug id>`. Same filesystem as the sources. */
  slugsDir: string;
  cacheDir: string;
  /** The ordered registry: the first buildpack that detects the app builds it. */
  buildpacks: readonly Buildpack[];
  /** Directory of the Node.js binary that builds and runs apps. */
  nodeBinDir: string;
  timeoutMs: number;
}

// Heroku's export_env_dir deny-list: config vars that would change how the build tools work.
const BUILD_ENV_DENY = /^(PATH|GIT_DIR|CPATH|CPPATH|LD_PRELOAD|LIBRARY_PATH|LD_LIBRARY_PATH|NODE_OPTIONS|HOME)$/;

/** Detect, compile and store: the source directory becomes an immutable slug directory. */
export class SlugBuilder implements Builder {
  constructor(private readonly options: SlugBuilderOptions) {}

  async build(request: BuildRequest): Promise<BuiltSlug> {
    const { output } = request;
    const buildDir = request.source.location;
    const buildpack = await this.detect(buildDir);
    output.line(`-----> ${buildpack.name} app detected`);
    const context = this.context(request, buildDir);
    await mkdir(this.appCache(request.app.id, 'home'), { recursive: true, mode: 0o700 });
    await buildpack.compile(context);

    output.line('-----> Discovering process types');
    const processTypes = await this.processTypes(buildpack, buildDir);
    const types = Object.keys(processTypes);
    output.line(types.length > 0 ? `       Process types -> ${types.join(', ')}` : ' !     No process types: add a Procfile or a start script');

    const slugId = randomUUID();
    const slugDir = this.slugDir(request.app.id, slugId);
    await mkdir(dirname(slugDir), { recursive: true, mode: 0o755 });
    await rename(buildDir, slugDir);
    const sizeBytes = await directorySize(slugDir);
    output.line(`-----> Slug ${slugId} is ${formatSize(sizeBytes)}`);
    return { slugId, buildpack: buildpack.id, processTypes, sizeBytes, runtime: { nodeBinDir: null, healthchecks: {} } };
  }

  slugDir(appId: string, slugId: string): string {
    return join(this.options.slugsDir, appId, slugId);
  }

  async removeApp(app: App): Promise<void> {
    await rm(join(this.options.slugsDir, app.id), { recursive: true, force: true });
    await rm(join(this.options.cacheDir, app.id), { recursive: true, force: true });
  }

  /** Build caches are per app: one app's builds never read what another's left behind. */
  private appCache(appId: string, part: string): string {
    return join(this.options.cacheDir, appId, part);
  }

  private async detect(buildDir: string): Promise<Buildpack> {
    for (const buildpack of this.options.buildpacks) if (await buildpack.detect(buildDir)) return buildpack;
    const names = this.options.buildpacks.map((b) => b.name).join(', ');
    throw new DozenError('BUILD_DETECT_FAILED', `No buildpack recognised the app (tried ${names}): it has neither a package.json nor a Procfile.`);
  }

  private async processTypes(buildpack: Buildpack, buildDir: string): Promise<ProcessTypes> {
    const defaults = await buildpack.defaultProcessTypes(buildDir);
    const procfile = join(buildDir, 'Procfile');
    const declared = existsSync(procfile) ? parseProcfile(await readFile(procfile, 'utf8')) : {};
    return { ...defaults, ...declared };
  }

  private context(request: BuildRequest, buildDir: string): BuildContext {
    const env = this.buildEnv(request.config, request.app.id);
    return {
      buildDir,
      cacheDir: this.appCache(request.app.id, 'buildpack'),
      config: request.config,
      output: request.output,
      exec: (program, args) => runCommand(program, args, { cwd: buildDir, env, output: request.output, timeoutMs: this.options.timeoutMs }),
    };
  }

  /** A clean environment: the app's config (minus the deny-list) and what the tools need. */
  private buildEnv(config: ConfigVars, appId: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) if (!BUILD_ENV_DENY.test(key)) env[key] = value;
    Object.assign(env, {
      PATH: `${this.options.nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
      HOME: this.appCache(appId, 'home'),
      LANG: 'C.UTF-8',
      CI: 'true',
      npm_config_cache: this.appCache(appId, 'npm'),
      npm_config_update_notifier: 'false',
    });
    return env;
  }
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
