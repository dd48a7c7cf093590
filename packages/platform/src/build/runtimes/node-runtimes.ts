import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { DozenError } from '@dozen/contracts/errors';
import type { BuildContext } from '../buildpacks/buildpack.js';

export interface NodeRuntimesOptions {
  /** The shared runtime cache: `<dir>/node/<version>-<arch>/bin/node`. */
  dir: string;
  /** The platform's own Node.js version (used when it satisfies the app's range). */
  hostVersion: string;
  arch: string;
  /** argv prefix that runs npm, e.g. [node, npm-cli.js]. */
  npm: [string, ...string[]];
  /** How long the list of published versions is trusted before it is asked again. */
  listTtlMs?: number;
}

export interface ResolvedNode {
  version: string;
  /** null: the platform's own Node.js. */
  binDir: string | null;
}

/**
 * Node.js versions for apps: `engines.node` resolved against the versions published as the npm
 * package `node-linux-<arch>`, each downloaded once (through npm) into a cache shared by all apps.
 * When the platform's own Node.js satisfies the range it is used as is: nothing to download.
 */
export class NodeRuntimes {
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(private readonly options: NodeRuntimesOptions) {}

  get packageName(): string {
    return `node-linux-${this.options.arch}`;
  }

  async resolve(range: string, source: string, context: BuildContext): Promise<ResolvedNode> {
    if (semver.validRange(range) === null) {
      throw new DozenError('NODE_VERSION_UNAVAILABLE', `${source} asks for Node.js ${JSON.stringify(range)}, which is not a version range.`);
    }
    if (semver.satisfies(this.options.hostVersion, range)) return { version: this.options.hostVersion, binDir: null };
    const versions = await this.published(context);
    const version = semver.maxSatisfying(versions, range);
    if (!version) {
      throw new DozenError('NODE_VERSION_UNAVAILABLE', `${source} asks for Node.js ${JSON.stringify(range)}, which no published version satisfies. Nearest: ${nearest(versions, range).join(', ')}.`);
    }
    return { version, binDir: join(await this.install(version, context), 'bin') };
  }

  private runtimeDir(version: string): string {
    return join(this.options.dir, 'node', `${version}-${this.options.arch}`);
  }

  private install(version: string, context: BuildContext): Promise<string> {
    const dir = this.runtimeDir(version);
    if (existsSync(join(dir, 'bin', 'node'))) {
      context.output.line(`       Using Node.js v${version} from the runtime cache`);
      return Promise.resolve(dir);
    }
    let pending = this.downloads.get(version);
    if (!pending) {
      pending = this.download(version, dir, context).finally(() => this.downloads.delete(version));
      this.downloads.set(version, pending);
    }
    return pending;
  }

  private async download(version: string, dir: string, context: BuildContext): Promise<string> {
    context.output.line(`       Downloading Node.js v${version} (${this.packageName} from the npm registry)`);
    const tmp = join(this.options.dir, 'tmp', randomUUID());
    await mkdir(tmp, { recursive: true });
    // npm installs into the nearest package root: make it this directory. (No --prefix: it would
    // also move npm's global config, and with it the machine's registry and CA settings.)
    await writeFile(join(tmp, 'package.json'), '{"private":true}');
    try {
      const spec = `${this.packageName}@${version}`;
      await context.exec([...this.options.npm, 'install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', spec], {
        cwd: tmp,
        writes: [tmp],
        network: true,
        env: { npm_config_cache: join(tmp, '.npm') },
        quiet: true,
      });
      const installed = join(tmp, 'node_modules', this.packageName);
      if (!existsSync(join(installed, 'bin', 'node'))) throw new DozenError('BUILD_FAILED', `${spec} has no bin/node.`);
      await mkdir(join(this.options.dir, 'node'), { recursive: true });
      await rename(installed, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another platform process installed it meanwhile: theirs is as good as ours.
        if (!existsSync(join(dir, 'bin', 'node'))) throw error;
      });
      return dir;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Published versions, from a list kept for an hour; a stale list is better than none. */
  private async published(context: BuildContext): Promise<string[]> {
    const file = join(this.options.dir, 'node', `versions-${this.options.arch}.json`);
    const cached = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { fetchedAt: number; versions: string[] })
      .catch(() => null);
    if (cached && Date.now() - cached.fetchedAt < (this.options.listTtlMs ?? 3_600_000)) return cached.versions;
    const result = await context.run([...this.options.npm, 'view', this.packageName, 'versions', '--json'], { capture: true, network: true, quiet: true, cwd: context.buildDir });
    try {
      if (result.code !== 0) throw new Error(result.tail.join(' '));
      const versions = (JSON.parse(result.stdout) as string[]).filter((v) => semver.valid(v) !== null);
      await mkdir(join(this.options.dir, 'node'), { recursive: true });
      await writeFile(file, JSON.stringify({ fetchedAt: Date.now(), versions }));
      return versions;
    } catch (error) {
      if (cached) return cached.versions;
      throw new DozenError('BUILD_FAILED', `Could not list the Node.js versions published as ${this.packageName}: ${(error as Error).message}`);
    }
  }
}

/** The newest release of each major around what the range asks for. */
function nearest(versions: string[], range: string): string[] {
  const wanted = semver.minVersion(range)?.major ?? null;
  const newestPerMajor = new Map<number, string>();
  for (const v of versions) {
    if (semver.prerelease(v)) continue;
    const major = semver.major(v);
    const best = newestPerMajor.get(major);
    if (!best || semver.gt(v, best)) newestPerMajor.set(major, v);
  }
  const majors = [...newestPerMajor.keys()].sort((a, b) => (wanted === null ? b - a : Math.abs(a - wanted) - Math.abs(b - wanted) || b - a));
  return majors
    .slice(0, 4)
    .sort((a, b) => a - b)
    .map((m) => newestPerMajor.get(m) as string);
}
