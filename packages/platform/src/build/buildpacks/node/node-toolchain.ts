import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { DozenError } from '@dozen/contracts/errors';
import { NodeRuntimes, type ResolvedNode } from '../../runtimes/node-runtimes.js';
import { NpmInstalls } from '../../runtimes/npm-installs.js';
import { nearestVersions, PublishedVersions } from '../../runtimes/published-versions.js';
import { readRegularFile } from '../../safe-files.js';
import type { BuildContext } from '../buildpack.js';
import type { PackageJson } from './package-json.js';
import { PackageManagerTools } from './package-manager.js';

export interface NodeToolchain {
  runtimes: NodeRuntimes;
  npmInstalls: NpmInstalls;
  published: PublishedVersions;
  tools: PackageManagerTools;
  /** argv prefix that runs the platform's npm under the platform's Node.js. */
  npm: [string, ...string[]];
  /** The platform's npm version, if known. */
  hostNpmVersion: string | null;
  /** The platform's Node.js binary: pnpm and yarn run under it, whatever the app's version. */
  hostNode: string;
  hostVersion: string;
  arch: string;
}

/** The Node.js and the npm an app builds and runs with. */
export interface AppNode {
  version: string;
  npmVersion: string | null;
  /** argv prefix that runs that npm under that Node.js. */
  npm: [string, ...string[]];
  /** Runtime directory with bin/node, bin/npm, bin/npx; null: the platform's own. */
  root: string | null;
  /** Where that Node.js's headers are (include/node), for native addons; null: node-gyp's default. */
  headers: string | null;
}

/** engines.node (or .nvmrc / .node-version), then engines.npm: Heroku's order and rules. */
export async function resolveAppNode(toolchain: NodeToolchain, pkg: PackageJson, context: BuildContext): Promise<AppNode> {
  const node = await resolveNode(toolchain, pkg, context);
  const shipped = node.root ? await toolchain.runtimes.bundledNpm(node) : toolchain.hostNpmVersion;
  const wanted = typeof pkg.engines?.npm === 'string' && pkg.engines.npm.trim() !== '' ? pkg.engines.npm.trim() : null;
  if (wanted !== null) {
    context.output.line(`-----> Resolving npm ${JSON.stringify(wanted)} (package.json engines.npm)`);
    if (semver.validRange(wanted) === null) throw npmUnavailable(wanted, 'which is not a version range', []);
    if (shipped === null || !semver.satisfies(shipped, wanted)) return otherNpm(toolchain, node, wanted, context);
    context.output.line(`       npm ${shipped}, which comes with Node.js v${node.version}, satisfies it`);
  }
  if (!node.root) return { version: node.version, npmVersion: shipped, npm: toolchain.npm, root: null, headers: null };
  if (shipped === null) {
    throw new DozenError('BUILD_FAILED', `Could not tell which npm ships with Node.js v${node.version} (its changelog names none).`, {
      hint: 'Set engines.npm in package.json (e.g. "10.x") and deploy again.',
    });
  }
  await toolchain.npmInstalls.ensure(node.root, shipped, context);
  return { version: node.version, npmVersion: shipped, npm: NpmInstalls.argv(node.root), root: node.root, headers: headersOf(node) };
}

/** engines.npm that the npm shipped with the Node.js does not satisfy: that npm, beside that node. */
async function otherNpm(toolchain: NodeToolchain, node: ResolvedNode, wanted: string, context: BuildContext): Promise<AppNode> {
  const published = (await toolchain.published.list('npm', context)).filter((v) => semver.prerelease(v) === null);
  const npmVersion = semver.maxSatisfying(published, wanted);
  if (!npmVersion) throw npmUnavailable(wanted, 'which no published npm satisfies', published);
  const binary = node.root ? join(node.root, 'bin', 'node') : toolchain.hostNode;
  const name = `${node.root ? '' : 'host-'}${node.version}-${toolchain.arch}+npm-${npmVersion}`;
  const root = await toolchain.npmInstalls.combine(binary, name, npmVersion, context);
  return { version: node.version, npmVersion, npm: NpmInstalls.argv(root), root, headers: headersOf(node) };
}

function headersOf(node: ResolvedNode): string | null {
  return node.root && existsSync(join(node.root, 'include', 'node')) ? node.root : null;
}

function npmUnavailable(range: string, why: string, published: string[]): DozenError {
  const nearest = nearestVersions(published, semver.validRange(range) ? range : '*');
  return new DozenError('NPM_VERSION_UNAVAILABLE', `package.json engines.npm asks for npm ${JSON.stringify(range)}, ${why}.`, {
    hint: `Set engines.npm to a published npm${nearest.length > 0 ? ` (the nearest: ${nearest.join(', ')})` : ''}, or remove it to use the npm that ships with the app's Node.js.`,
  });
}

async function resolveNode(toolchain: NodeToolchain, pkg: PackageJson, context: BuildContext): Promise<ResolvedNode> {
  const wanted = await wantedNode(pkg, context.buildDir);
  if (!wanted) return { version: toolchain.hostVersion, root: null };
  context.output.line(`-----> Resolving Node.js ${JSON.stringify(wanted.range)} (${wanted.source})`);
  return toolchain.runtimes.resolve(wanted.range, wanted.source, context);
}

async function wantedNode(pkg: PackageJson, buildDir: string): Promise<{ range: string; source: string } | null> {
  if (typeof pkg.engines?.node === 'string' && pkg.engines.node.trim() !== '') return { range: pkg.engines.node.trim(), source: 'package.json engines.node' };
  for (const file of ['.nvmrc', '.node-version']) {
    const text = (await readRegularFile(buildDir, file, 4096))?.trim();
    if (!text) continue;
    const range = text.replace(/^v(?=\d)/, '');
    return { range: ['node', 'latest', 'stable', 'current'].includes(range) ? '*' : range, source: file };
  }
  return null;
}

/**
 * The Node.js toolchain of a platform whose own Node.js lives in `nodeBinDir`, with the shared
 * runtime cache in `dirs.runtimes` and its downloads in progress in `dirs.runtimesScratch` (the
 * data-dir layout). Its npm runs under its own Node.js (an app's may be too old).
 */
export function createNodeToolchain(dirs: { runtimes: string; runtimesScratch: string }, nodeBinDir: string): NodeToolchain {
  const { runtimes: runtimesDir, runtimesScratch: scratch } = dirs;
  const cli = join(dirname(nodeBinDir), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  const npm: [string, ...string[]] = existsSync(cli) ? [join(nodeBinDir, 'node'), cli] : ['npm'];
  const published = new PublishedVersions(join(runtimesDir, 'versions'), npm);
  return {
    runtimes: new NodeRuntimes({ dir: runtimesDir, scratch, hostVersion: process.versions.node, arch: process.arch, npm, published }),
    npmInstalls: new NpmInstalls(runtimesDir, scratch, npm),
    published,
    tools: new PackageManagerTools(runtimesDir, scratch, npm),
    npm,
    hostNpmVersion: packageVersion(join(dirname(dirname(cli)), 'package.json')),
    hostNode: join(nodeBinDir, 'node'),
    hostVersion: process.versions.node,
    arch: process.arch,
  };
}

function packageVersion(file: string): string | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}
