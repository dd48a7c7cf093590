import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { slugPath } from '@dozen/contracts/node';
import { parseBuildpackList } from '../core/buildpack-url.js';
import type { App, ProcessTypes, SlugRuntime } from '../core/model.js';
import type { Builder, BuildRequest, BuiltSlug } from '../core/ports/build.js';
import { parseProcfile } from '../core/procfile.js';
import { staticChecks } from '../core/scorecard/static-checks.js';
import { readAppJsonFile } from './app-json-file.js';
import { createBuildContext } from './build-context.js';
import type { Buildpack, BuildContext } from './buildpacks/buildpack.js';
import { checkBuildpackSources, fetchBuildpacks } from './buildpacks/buildpack-fetch.js';
import type { CommandRunner } from './command-runner.js';
import { readRegularFile } from './safe-files.js';
import { digestTree } from './slug-digest.js';
import { scanSource } from './source-scan.js';

export interface SlugBuilderOptions {
  /** Where slugs live: `<slugsDir>/<app id>/<slug id>`. Same filesystem as the sources. */
  slugsDir: string;
  cacheDir: string;
  /** Per-build scratch space (ENV_DIR, buildpack copies): `<workDir>/<build id>`. */
  workDir: string;
  /** The ordered registry: without a selection, the first buildpack that detects the app builds it. */
  buildpacks: readonly Buildpack[];
  /** Where local-path and file:// buildpacks may come from. */
  buildpackDirs: readonly string[];
  /** Directories every build may read: the runtime and tool caches. */
  sharedReads: string[];
  /** Directory of the platform's Node.js binary. */
  nodeBinDir: string;
  /** NODE_EXTRA_CA_CERTS for build commands (a registry behind a TLS proxy), or null. */
  caFile: string | null;
  /** $STACK for buildpacks: a Heroku stack name, so that Heroku's own buildpacks run. */
  stack: string;
  timeoutMs: number;
  runner: CommandRunner;
}

/** Detect, compile and store: the source directory becomes an immutable, content-addressed slug. */
export class SlugBuilder implements Builder {
  constructor(private readonly options: SlugBuilderOptions) {}

  async build(request: BuildRequest): Promise<BuiltSlug> {
    const workDir = join(this.options.workDir, request.buildId);
    await mkdir(join(workDir, 'buildpacks'), { recursive: true, mode: 0o700 });
    try {
      return await this.buildIn(request, workDir);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async buildIn(request: BuildRequest, workDir: string): Promise<BuiltSlug> {
    const { output } = request;
    const buildDir = request.source.location;
    const runtime: SlugRuntime = { nodeBinDir: null, healthchecks: {}, stack: this.options.stack };
    const env = await this.baseEnv(request.app.id);
    const envDir = await writeEnvDir(join(workDir, 'env'), request.config);
    const contextFor = (cacheName: string, configInEnv: boolean): BuildContext =>
      createBuildContext({
        runner: this.options.runner,
        buildDir,
        cacheDir: this.appCache(request.app.id, cacheName),
        envDir,
        config: request.config,
        configInEnv,
        env,
        reads: this.options.sharedReads,
        writes: [env.HOME as string],
        user: request.user,
        output,
        signal: request.signal,
        timeoutMs: this.options.timeoutMs,
        phase: request.phase,
        warn: (text) => {
          output.line(` !     Warning: ${text}`);
          request.warn(text);
        },
        setNodeBinDir: (dir) => (runtime.nodeBinDir = dir),
      });

    // Scored before any build command runs: the tree is the source as received (a committed node_modules is still there).
    const scoredAt = performance.now();
    const checks = request.scorecard ? staticChecks(await scanSource(buildDir), request.scorecard) : undefined;
    const checksMs = performance.now() - scoredAt;
    const detectContext = contextFor('detect', false);
    const { appJson, buildpacks } = await detectContext.phase('detect', async () => {
      const appJson = await readAppJsonFile(buildDir);
      for (const warning of appJson.warnings) detectContext.warn(warning);
      return { appJson, buildpacks: await this.select(request, appJson.buildpacks, workDir, detectContext) };
    });
    runtime.healthchecks = appJson.healthchecks;

    let offered: ProcessTypes = {};
    for (const buildpack of buildpacks) {
      const context = contextFor(cacheNameOf(buildpack), buildpack.id === 'node' || buildpack.id === 'procfile');
      await mkdir(context.cacheDir, { recursive: true, mode: 0o700 });
      await buildpack.compile(context);
      offered = { ...offered, ...(await buildpack.release(context)) };
    }
    const processTypes = await this.processTypes(offered, buildDir);
    output.line(`-----> Discovering process types`);
    const types = Object.keys(processTypes);
    output.line(types.length > 0 ? `       Process types -> ${types.join(', ')}` : ' !     No process types: add a Procfile or a start script');
    if (request.signal.aborted) throw request.signal.reason;
    const stored = await detectContext.phase('slug', () => this.store(request, buildDir, { processTypes, runtime, manifest: appJson.manifest }));
    return { ...stored, buildpack: buildpacks.map((b) => b.id).join(', '), processTypes, runtime, manifest: appJson.manifest, ...(checks ? { checks, checksMs } : {}) };
  }

  /** The app's buildpacks (set, else app.json); each must detect. Else the first of the registry that does. */
  private async select(request: BuildRequest, fromAppJson: string[], workDir: string, context: BuildContext): Promise<Buildpack[]> {
    const urls = request.buildpacks.length > 0 ? request.buildpacks : fromAppJson;
    if (urls.length > 0) {
      request.chosen?.(urls.join(', '));
      const sources = parseBuildpackList(urls);
      const chosen = await fetchBuildpacks(sources, join(workDir, 'buildpacks'), context, { builtIns: this.options.buildpacks, allowedDirs: this.options.buildpackDirs });
      for (const buildpack of chosen) {
        const name = await buildpack.detect(context);
        if (name === null) {
          throw new DozenError('BUILD_DETECT_FAILED', `Buildpack ${buildpack.name} does not recognise the app (its detect step said no).`, {
            hint: `The app's buildpacks are set (${request.buildpacks.length > 0 ? '`dozen buildpacks`' : 'app.json `buildpacks`'}): make the app what ${buildpack.name} expects, or change them (\`dozen buildpacks:set\`, or \`dozen buildpacks:clear\` to detect again).`,
          });
        }
        context.output.line(`-----> ${name} app detected (buildpack ${buildpack.name})`);
      }
      return chosen;
    }
    for (const buildpack of this.options.buildpacks) {
      const name = await buildpack.detect(context);
      if (name === null) continue;
      context.output.line(`-----> ${name} app detected`);
      request.chosen?.(buildpack.id);
      return [buildpack];
    }
    const names = this.options.buildpacks.map((b) => b.name).join(', ');
    throw new DozenError('BUILD_DETECT_FAILED', `No buildpack recognised the app (tried ${names}): it has neither a package.json nor a Procfile.`);
  }

  /** Refuses, when they are set, buildpacks that cannot work (see checkBuildpackSources). */
  async checkBuildpacks(urls: string[]): Promise<void> {
    await checkBuildpackSources(parseBuildpackList(urls), { builtIns: this.options.buildpacks, allowedDirs: this.options.buildpackDirs });
  }

  /** Content-addressed: an identical slug of the same app is reused, the new copy discarded. */
  private async store(request: BuildRequest, buildDir: string, meta: object): Promise<Pick<BuiltSlug, 'slugId' | 'digest' | 'reused' | 'sizeBytes'>> {
    const { digest, sizeBytes } = await digestTree(buildDir);
    const slugId = createHash('sha256').update(`${request.app.id}\u0000${digest}\u0000${JSON.stringify(meta)}`).digest('hex').slice(0, 32);
    const slugDir = this.slugDir(request.app.id, slugId);
    const reused = existsSync(slugDir);
    if (reused) {
      await rm(buildDir, { recursive: true, force: true });
      request.output.line(`-----> Slug ${slugId} is identical to an earlier build: reused (sha256 ${digest.slice(0, 12)})`);
    } else {
      await mkdir(dirname(slugDir), { recursive: true, mode: 0o755 });
      await rename(buildDir, slugDir);
      request.output.line(`-----> Slug ${slugId} is ${formatSize(sizeBytes)} (sha256 ${digest.slice(0, 12)})`);
    }
    return { slugId, digest, reused, sizeBytes };
  }

  slugDir(appId: string, slugId: string): string {
    return slugPath({ slugs: this.options.slugsDir }, appId, slugId);
  }

  /** A slug copied for another app; written beside its place and renamed in, so a copy is whole or absent. */
  async copySlug(from: { appId: string; slugId: string }, to: { appId: string; slugId: string }): Promise<{ digest: string; sizeBytes: number }> {
    const target = this.slugDir(to.appId, to.slugId);
    if (!existsSync(target)) {
      const partial = `${target}.copy-${process.pid}`;
      await mkdir(dirname(target), { recursive: true, mode: 0o755 });
      await rm(partial, { recursive: true, force: true });
      await cp(this.slugDir(from.appId, from.slugId), partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, errorOnExist: true });
      await rename(partial, target);
    }
    return digestTree(target);
  }

  async removeApp(app: App): Promise<void> {
    await rm(join(this.options.slugsDir, app.id), { recursive: true, force: true });
    await this.purgeCache(app);
  }

  async purgeCache(app: App): Promise<void> {
    await rm(join(this.options.cacheDir, app.id), { recursive: true, force: true });
  }

  /** Build caches are per app: one app's builds never read what another's left behind. */
  private appCache(appId: string, part: string): string {
    return join(this.options.cacheDir, appId, part);
  }

  private async processTypes(offered: ProcessTypes, buildDir: string): Promise<ProcessTypes> {
    const text = await readRegularFile(buildDir, 'Procfile', 1024 * 1024);
    return { ...offered, ...(text === null ? {} : parseProcfile(text)) };
  }

  /** A clean environment: what the tools need, nothing of the platform's own. */
  private async baseEnv(appId: string): Promise<Record<string, string>> {
    const home = this.appCache(appId, 'home');
    await mkdir(home, { recursive: true, mode: 0o700 });
    return {
      PATH: `${this.options.nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      LANG: 'C.UTF-8',
      CI: 'true',
      STACK: this.options.stack,
      npm_config_update_notifier: 'false',
      ...(this.options.caFile ? { NODE_EXTRA_CA_CERTS: this.options.caFile } : {}),
    };
  }
}

/**
 * ENV_DIR: one file per config var, as Heroku's buildpack API has it. Readable by the build's
 * user: it lives in the build's own 0700 work dir, and only this build's sandbox binds it.
 */
async function writeEnvDir(dir: string, config: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const [key, value] of Object.entries(config)) await writeFile(join(dir, key), value, { mode: 0o644 });
  return dir;
}

function cacheNameOf(buildpack: Buildpack): string {
  if (buildpack.id === 'node' || buildpack.id === 'procfile') return buildpack.id;
  return `buildpack-${createHash('sha256').update(buildpack.id).digest('hex').slice(0, 16)}`;
}

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
