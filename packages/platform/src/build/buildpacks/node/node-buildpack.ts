import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessTypes } from '../../../core/model.js';
import { regularFileExists } from '../../safe-files.js';
import type { Buildpack, BuildContext } from '../buildpack.js';
import { NodeModulesCache } from './node-modules-cache.js';
import { resolveAppNode, type AppNode, type NodeToolchain } from './node-toolchain.js';
import { hasScript, readPackageJson, type PackageJson } from './package-json.js';
import { chooseManager, type ManagerChoice } from './package-manager.js';

export type { NodeToolchain } from './node-toolchain.js';

/** The command line of one package manager, as the buildpack drives it. */
interface Manager {
  label: string;
  argv: [string, ...string[]];
  install: string[];
  prune: string[] | null;
}

/**
 * Node.js: the app's Node version (engines.node, .nvmrc, .node-version), its package manager
 * (npm, pnpm or yarn, from packageManager or the lockfile; the lockfile is used strictly),
 * Heroku's lifecycle scripts (`heroku-prebuild`, `build`/`heroku-postbuild`, with `dozen-*`
 * aliases), dev dependencies pruned, node_modules cached per app.
 * Config vars reach its commands as environment variables (Heroku's Node.js buildpack exports
 * ENV_DIR the same way), minus the deny-list of build-tool variables.
 */
export function nodeBuildpack(toolchain: NodeToolchain): Buildpack {
  return {
    id: 'node',
    name: 'Node.js',
    detect: async (context) => ((await regularFileExists(context.buildDir, 'package.json')) ? 'Node.js' : null),
    compile: (context) => compile(toolchain, context),
    async release(context): Promise<ProcessTypes> {
      const pkg = await readPackageJson(context.buildDir);
      return hasScript(pkg, 'start') ? { web: 'npm start' } : {};
    },
  };
}

async function compile(toolchain: NodeToolchain, context: BuildContext): Promise<void> {
  const pkg = await readPackageJson(context.buildDir);
  const { manager, run } = await context.phase('install', async () => {
    const node = await resolveAppNode(toolchain, pkg, context);
    useNode(context, node);
    const choice = await chooseManager(pkg, context.buildDir);
    const manager = await managerFor(toolchain, choice, context, node);
    const run = (args: string[]) => context.exec([...manager.argv, ...args] as [string, ...string[]], { network: true });
    await runScript(context, pkg, ['dozen-prebuild', 'heroku-prebuild'], run);
    await install(toolchain, context, pkg, choice, manager, node);
    return { manager, run };
  });
  const postbuild = firstScript(pkg, ['dozen-postbuild', 'heroku-postbuild']);
  await context.phase('build', () => runScript(context, pkg, postbuild ? [postbuild] : ['build'], run));
  await context.phase('prune', () => prune(context, pkg, manager));
}

/**
 * The app's node, npm and npx first on PATH for the build's commands and, through the slug, for
 * its processes; native addons compile against that Node.js's own headers (node-gyp's nodedir).
 */
function useNode(context: BuildContext, node: AppNode): void {
  context.setNodeBinDir(node.root ? join(node.root, 'bin') : null);
  if (node.root) {
    context.env.PATH = `${join(node.root, 'bin')}:${context.env.PATH ?? ''}`;
    if (node.headers) context.env.npm_config_nodedir = node.headers;
  }
  const npm = node.npmVersion ? `, npm ${node.npmVersion}` : '';
  context.output.line(`       Node.js v${node.version}${node.root ? '' : " (the platform's own)"}${npm}`);
}

async function managerFor(toolchain: NodeToolchain, choice: ManagerChoice, context: BuildContext, node: AppNode): Promise<Manager> {
  const cache = (name: string) => join(context.cacheDir, name);
  if (choice.name === 'npm') {
    context.env.npm_config_cache = cache('npm');
    const strict = choice.lockfile !== null;
    return { label: 'npm', argv: node.npm, install: strict ? ['ci', '--include=dev', '--no-audit', '--no-fund'] : ['install', '--include=dev', '--no-audit', '--no-fund'], prune: ['prune', '--omit=dev', '--no-audit', '--no-fund'] };
  }
  const { script, version } = await toolchain.tools.entry(choice, context);
  const argv: [string, ...string[]] = [toolchain.hostNode, script];
  if (choice.name === 'pnpm') {
    context.env.npm_config_store_dir = cache('pnpm-store');
    const strict = choice.lockfile ? ['--frozen-lockfile'] : ['--no-frozen-lockfile'];
    return { label: `pnpm@${version}`, argv, install: ['install', ...strict, '--prod=false'], prune: ['prune', '--prod'] };
  }
  if (choice.berry) {
    Object.assign(context.env, { YARN_CACHE_FOLDER: cache('yarn-berry'), YARN_ENABLE_GLOBAL_CACHE: 'false', YARN_ENABLE_TELEMETRY: '0' });
    return { label: `yarn@${version}`, argv, install: ['install', ...(choice.lockfile ? ['--immutable'] : [])], prune: null };
  }
  const folder = ['--cache-folder', cache('yarn')];
  const strict = choice.lockfile ? ['--frozen-lockfile'] : [];
  return { label: `yarn@${version}`, argv, install: ['install', ...strict, '--non-interactive', '--production=false', ...folder], prune: ['install', ...strict, '--non-interactive', '--production=true', '--ignore-scripts', '--prefer-offline', ...folder] };
}

async function install(toolchain: NodeToolchain, context: BuildContext, pkg: PackageJson, choice: ManagerChoice, manager: Manager, node: AppNode): Promise<void> {
  if (!choice.lockfile) {
    context.warn(`No lockfile: installing with ${manager.label} ${manager.install[0]}. Commit a lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock) for repeatable builds.`);
  }
  const shipped = existsSync(join(context.buildDir, 'node_modules'));
  const cache = new NodeModulesCache(context);
  const key = choice.lockfile && !shipped ? await cache.key({ pkg, lockfile: choice.lockfile, manager: choice.name === 'npm' ? `npm@${node.npmVersion ?? '?'}` : manager.label, nodeVersion: node.version, arch: toolchain.arch }) : null;
  if (key && (await cache.restore(key))) {
    context.output.line(`-----> Dependencies unchanged (${choice.lockfile}, ${manager.label}, Node.js v${node.version}, ${toolchain.arch}): node_modules restored from the build cache, nothing installed`);
    return;
  }
  context.output.line(`-----> Installing dependencies with ${manager.label} ${manager.install.join(' ')}${choice.lockfile ? ` (${choice.lockfile})` : ''}`);
  await context.exec([...manager.argv, ...manager.install] as [string, ...string[]], { network: true });
  if (key) {
    await cache.save(key);
    context.output.line('       node_modules saved to the build cache');
  }
}

async function prune(context: BuildContext, pkg: PackageJson, manager: Manager): Promise<void> {
  if (Object.keys(pkg.devDependencies ?? {}).length === 0) return;
  if (context.config.NPM_CONFIG_PRODUCTION === 'false' || context.config.YARN_PRODUCTION === 'false') {
    context.output.line('-----> Keeping devDependencies (NPM_CONFIG_PRODUCTION=false or YARN_PRODUCTION=false)');
    return;
  }
  if (!manager.prune) {
    context.warn(`${manager.label} cannot prune devDependencies here; they stay in the slug.`);
    return;
  }
  context.output.line('-----> Pruning devDependencies');
  await context.exec([...manager.argv, ...manager.prune] as [string, ...string[]], { network: true });
}

function firstScript(pkg: PackageJson, names: string[]): string | undefined {
  return names.find((name) => hasScript(pkg, name));
}

async function runScript(context: BuildContext, pkg: PackageJson, names: string[], run: (args: string[]) => Promise<unknown>): Promise<void> {
  const name = firstScript(pkg, names);
  if (!name) return;
  context.output.line(`-----> Running ${name}`);
  await run(['run', name]);
}
