import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { DozenError } from '@dozen/contracts/errors';
import type { BuildContext } from '../buildpacks/buildpack.js';
import { bundledNpmVersion } from './bundled-npm.js';
import { nearestVersions, type PublishedVersions } from './published-versions.js';
import { installFromRegistry } from './registry-install.js';
import { SingleFlight } from './single-flight.js';

export interface NodeRuntimesOptions {
  /** The shared runtime cache: `<dir>/node/<version>-<arch>/bin/node`. */
  dir: string;
  /** Downloads in progress (the data dir's `runtimesScratch`, cleared at start). */
  scratch: string;
  /** The platform's own Node.js version (used when it satisfies the app's range). */
  hostVersion: string;
  arch: string;
  /** argv prefix that runs the platform's npm (downloads go through it). */
  npm: [string, ...string[]];
  published: PublishedVersions;
}

export interface ResolvedNode {
  version: string;
  /** The runtime's directory (bin/node, include/node, CHANGELOG.md); null: the platform's own Node.js. */
  root: string | null;
}

/** The oldest Node.js major Dozen provides: older releases predate the npm their apps would need here. */
export const OLDEST_NODE_MAJOR = 12;

/**
 * Node.js versions for apps: `engines.node` resolved against the versions published as the npm
 * package `node-linux-<arch>`, each downloaded once (through npm) into a cache shared by all apps.
 * When the platform's own Node.js satisfies the range it is used as is: nothing to download.
 */
export class NodeRuntimes {
  private readonly downloads = new SingleFlight<string>();

  constructor(private readonly options: NodeRuntimesOptions) {}

  get packageName(): string {
    return `node-linux-${this.options.arch}`;
  }

  async resolve(range: string, source: string, context: BuildContext): Promise<ResolvedNode> {
    if (semver.validRange(range) === null) {
      throw new DozenError('NODE_VERSION_UNAVAILABLE', `${source} asks for Node.js ${JSON.stringify(range)}, which is not a version range.`);
    }
    if (semver.satisfies(this.options.hostVersion, range)) return { version: this.options.hostVersion, root: null };
    const published = await this.options.published.list(this.packageName, context);
    const provided = published.filter((v) => semver.major(v) >= OLDEST_NODE_MAJOR && semver.prerelease(v) === null);
    const version = semver.maxSatisfying(provided, range);
    if (!version) throw unavailable(range, source, provided, this.packageName);
    return { version, root: await this.install(version, context) };
  }

  /** The npm that ships with this Node.js release, from the changelog in its package (null: not known). */
  async bundledNpm(node: ResolvedNode): Promise<string | null> {
    if (!node.root) return null;
    const changelog = await readFile(join(node.root, 'CHANGELOG.md'), 'utf8').catch(() => '');
    return bundledNpmVersion(changelog, node.version);
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
    return this.downloads.run(version, () => this.download(version, dir, context));
  }

  private async download(version: string, dir: string, context: BuildContext): Promise<string> {
    context.output.line(`       Downloading Node.js v${version} (${this.packageName} from the npm registry)`);
    const spec = `${this.packageName}@${version}`;
    return installFromRegistry(this.options.npm, spec, this.options.scratch, context, async (tmp) => {
      const installed = join(tmp, 'node_modules', this.packageName);
      if (!existsSync(join(installed, 'bin', 'node'))) throw new DozenError('BUILD_FAILED', `The registry's ${spec} came without its node binary; try the build again.`);
      await mkdir(join(this.options.dir, 'node'), { recursive: true });
      await rename(installed, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another platform process installed it meanwhile: theirs is as good as ours.
        if (!existsSync(join(dir, 'bin', 'node'))) throw error;
      });
      return dir;
    });
  }
}

/** What was asked, what Dozen provides, and the nearest versions as the way out. */
function unavailable(range: string, source: string, provided: string[], pkg: string): DozenError {
  const sorted = [...provided].sort(semver.compare);
  const span = sorted.length > 0 ? `${sorted[0]} to ${sorted[sorted.length - 1]}` : 'none';
  const nearest = nearestVersions(provided, range);
  return new DozenError('NODE_VERSION_UNAVAILABLE', `${source} asks for Node.js ${JSON.stringify(range)}: Dozen provides Node.js ${span} (${pkg} on the npm registry, from major ${OLDEST_NODE_MAJOR} on).`, {
    hint: `Set engines.node (or .nvmrc / .node-version) to a provided version; the nearest are ${nearest.join(', ')}.`,
  });
}
