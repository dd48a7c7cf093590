import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessTypes } from '../../../core/model.js';
import type { Buildpack, BuildContext } from '../buildpack.js';
import { hasScript, readPackageJson, type PackageJson } from './package-json.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Node.js with npm: a strict lockfile install, the app's build script, then dev dependencies
 * pruned. Script names follow Heroku (`heroku-prebuild`, `build`, `heroku-postbuild`), with
 * `dozen-*` aliases.
 */
export const nodeBuildpack: Buildpack = {
  id: 'node',
  name: 'Node.js',
  detect: (buildDir) => exists(join(buildDir, 'package.json')),

  async compile(context) {
    const pkg = await readPackageJson(context.buildDir);
    await runScript(context, pkg, ['dozen-prebuild', 'heroku-prebuild']);
    await install(context);
    const postbuild = firstScript(pkg, ['dozen-postbuild', 'heroku-postbuild']);
    // As on Heroku, a postbuild script replaces `build`.
    await runScript(context, pkg, postbuild ? [postbuild] : ['build']);
    if (Object.keys(pkg.devDependencies ?? {}).length > 0) {
      context.output.line('-----> Pruning devDependencies');
      await context.exec('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund']);
    }
  },

  async defaultProcessTypes(buildDir): Promise<ProcessTypes> {
    const pkg = await readPackageJson(buildDir);
    return hasScript(pkg, 'start') ? { web: 'npm start' } : {};
  },
};

async function install(context: BuildContext): Promise<void> {
  const dir = context.buildDir;
  if ((await exists(join(dir, 'package-lock.json'))) || (await exists(join(dir, 'npm-shrinkwrap.json')))) {
    context.output.line('-----> Installing dependencies with npm ci (lockfile)');
    await context.exec('npm', ['ci', '--include=dev', '--no-audit', '--no-fund']);
    return;
  }
  context.output.line(' !     No package-lock.json: installing with npm install. Commit a lockfile for repeatable builds.');
  await context.exec('npm', ['install', '--include=dev', '--no-audit', '--no-fund']);
}

function firstScript(pkg: PackageJson, names: string[]): string | undefined {
  return names.find((name) => hasScript(pkg, name));
}

async function runScript(context: BuildContext, pkg: PackageJson, names: string[]): Promise<void> {
  const name = firstScript(pkg, names);
  if (!name) return;
  context.output.line(`-----> Running ${name}`);
  await context.exec('npm', ['run', name]);
}
