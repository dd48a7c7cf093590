import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../../safe-files.js';
import type { BuildContext } from '../buildpack.js';
import type { PackageJson } from './package-json.js';

export interface CacheKeyInput {
  pkg: PackageJson;
  lockfile: string;
  manager: string;
  nodeVersion: string;
  arch: string;
}

/**
 * node_modules of the last install of an app, kept with the key it was installed for (lockfile,
 * the dependency fields of package.json, package manager and version, Node.js version, arch).
 * Same key: the next build copies it back and installs nothing.
 */
export class NodeModulesCache {
  private readonly root: string;

  constructor(private readonly context: BuildContext) {
    this.root = join(context.cacheDir, 'node-modules');
  }

  async key(input: CacheKeyInput): Promise<string> {
    const { pkg } = input;
    const lock = (await readRegularFile(this.context.buildDir, input.lockfile, 512 * 1024 * 1024)) ?? '';
    const deps = [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.overrides, pkg.resolutions, pkg.pnpm];
    return createHash('sha256')
      .update(JSON.stringify({ lock: createHash('sha256').update(lock).digest('hex'), deps, manager: input.manager, node: input.nodeVersion, arch: input.arch, platform: process.platform }))
      .digest('hex');
  }

  /** Copies the cached node_modules into the build when the key matches; answers whether it did. */
  async restore(key: string): Promise<boolean> {
    const stored = await readFile(join(this.root, 'key'), 'utf8').catch(() => null);
    if (stored !== key) return false;
    const cached = join(this.root, 'node_modules');
    if (existsSync(cached)) {
      await this.context.exec(['cp', '-a', '--reflink=auto', cached, join(this.context.buildDir, 'node_modules')], { reads: [this.root], quiet: true });
    }
    return true;
  }

  /** Keeps the freshly installed node_modules for the next build (replacing what was there). */
  async save(key: string): Promise<void> {
    const next = `${this.root}.next`;
    await rm(next, { recursive: true, force: true });
    await mkdir(next, { recursive: true });
    const installed = join(this.context.buildDir, 'node_modules');
    if (existsSync(installed)) await this.context.exec(['cp', '-a', '--reflink=auto', installed, join(next, 'node_modules')], { writes: [next], quiet: true });
    await writeFile(join(next, 'key'), key);
    await rm(this.root, { recursive: true, force: true });
    await rename(next, this.root);
  }
}
