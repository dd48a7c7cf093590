import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { dataDirLayout } from '@dozen/contracts/node';
import { createBuilder } from './build-wiring.js';
import { runCommand } from './build/command-runner.js';
import { readConfig } from './config.js';
import type { ProcessTypes } from './core/model.js';
import { processEnv } from './runtime/local/process-env.js';

export interface DevBuild {
  /** The slug: the directory the processes run in. */
  slugDir: string;
  processTypes: ProcessTypes;
  /** The platform's base environment of a process of this slug (PATH to its Node.js, HOME, LANG). */
  env: Record<string, string>;
  digest: string;
}

/** What a dev build never copies from the working directory: git's files, dependencies (the build installs them), its own output. */
const LEFT_OUT = new Set(['.git', 'node_modules', '.dozen']);

/**
 * `dozen dev --build`: builds `sourceDir` with the platform's builder (its buildpacks, its runtime
 * cache) into `outDir`, laid out as a data dir (slugs/, cache/, runtimes/), without a store or a
 * sandbox: the developer's own user runs the build commands. The previous dev slug is replaced;
 * the build cache is kept, as the platform keeps an app's.
 */
export async function devBuild(sourceDir: string, outDir: string, config: Record<string, string>, say: (line: string) => void): Promise<DevBuild> {
  const dirs = dataDirLayout(outDir);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await writeFile(join(outDir, '..', '.gitignore'), '# dozen dev --build: the local build, never committed\n*\n');
  await rm(dirs.slugs, { recursive: true, force: true });
  await rm(dirs.sources, { recursive: true, force: true });
  await rm(dirs.builds, { recursive: true, force: true });
  for (const dir of [dirs.sources, dirs.builds, dirs.slugs, dirs.cache, dirs.runtimes]) await mkdir(dir, { recursive: true, mode: 0o700 });
  const source = join(dirs.sources, 'dev');
  await copySource(sourceDir, source);
  const platform = readConfig();
  const builder = await createBuilder(platform, dirs, runCommand);
  const app = { id: 'dev', name: basename(sourceDir), createdAt: new Date().toISOString(), currentRelease: null };
  const built = await builder.build({
    app,
    buildId: 'dev',
    source: { location: source, dispose: () => rm(source, { recursive: true, force: true }) },
    config,
    output: { line: say },
    buildpacks: [],
    signal: new AbortController().signal,
    phase: () => undefined,
    warn: () => undefined,
    user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
  });
  const slugDir = builder.slugDir(app.id, built.slugId);
  const base = processEnv({ config: {}, app: app.name, process: 'dev', release: 0, slugDir, nodeBinDir: built.runtime.nodeBinDir ?? platform.nodeBinDir, port: null });
  const env = { PATH: base.PATH ?? '', HOME: base.HOME ?? slugDir, LANG: base.LANG ?? 'C.UTF-8' };
  return { slugDir, processTypes: built.processTypes, env, digest: built.digest };
}

/** The working directory's files but those left out (at any depth), symlinks as they are. */
async function copySource(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o755 });
  for (const entry of await readdir(from)) {
    if (LEFT_OUT.has(entry)) continue;
    await cp(join(from, entry), join(to, entry), { recursive: true, verbatimSymlinks: true, filter: (path) => !LEFT_OUT.has(basename(path)) });
  }
}
