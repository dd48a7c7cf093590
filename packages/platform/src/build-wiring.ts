import { dirname } from 'node:path';
import type { DataDirLayout } from '@dozen/contracts/node';
import type { CommandRunner } from './build/command-runner.js';
import type { SlugBuilder } from './build/slug-builder.js';
import type { PlatformConfig } from './config.js';

/**
 * The builder: built-in buildpacks (the ordered registry), the runtime cache, the one command
 * runner. The platform's (main.ts) and `dozen dev --build`'s (dev-build.ts), so both build alike.
 */
export async function createBuilder(config: PlatformConfig, dirs: DataDirLayout, runner: CommandRunner): Promise<SlugBuilder> {
  const [{ SlugBuilder }, { nodeBuildpack }, { createNodeToolchain }, { procfileBuildpack }] = await Promise.all([
    import('./build/slug-builder.js'),
    import('./build/buildpacks/node/node-buildpack.js'),
    import('./build/buildpacks/node/node-toolchain.js'),
    import('./build/buildpacks/procfile/procfile-buildpack.js'),
  ]);
  const toolchain = createNodeToolchain(dirs, config.nodeBinDir);
  const { npm } = toolchain;
  return new SlugBuilder({
    slugsDir: dirs.slugs,
    cacheDir: dirs.cache,
    workDir: dirs.builds,
    buildpacks: [nodeBuildpack(toolchain), procfileBuildpack],
    buildpackDirs: config.buildpackDirs,
    sharedReads: [dirs.runtimes, dirname(dirname(npm[1] ?? npm[0])), ...(config.buildCaFile ? [config.buildCaFile] : [])],
    nodeBinDir: config.nodeBinDir,
    caFile: config.buildCaFile,
    stack: config.stack,
    timeoutMs: config.buildTimeoutMs,
    runner,
  });
}
