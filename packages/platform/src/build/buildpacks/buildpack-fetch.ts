import { existsSync } from 'node:fs';
import { cp, lstat, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { BuildpackSource } from '../../core/buildpack-url.js';
import type { Buildpack, BuildContext } from './buildpack.js';
import { ExternalBuildpack } from './external/external-buildpack.js';

export interface BuildpackFetchOptions {
  builtIns: readonly Buildpack[];
  /** Local paths and file:// repositories must lie under one of these. */
  allowedDirs: readonly string[];
}

/**
 * Turns buildpack sources into buildpacks for one build. External ones are copied (a path) or
 * fetched (git) into `workDir/<n>`, a private copy for this build. git runs with an argv, `--`
 * before the URL, and only the https (and, when the URL passed the allow-list, file) protocols.
 */
export async function fetchBuildpacks(sources: BuildpackSource[], workDir: string, context: BuildContext, options: BuildpackFetchOptions): Promise<Buildpack[]> {
  const result: Buildpack[] = [];
  for (const [index, source] of sources.entries()) {
    if (source.kind === 'builtin') {
      const builtin = options.builtIns.find((b) => b.id === source.id);
      if (!builtin) throw new DozenError('BUILDPACK_INVALID', `There is no built-in buildpack ${source.id}.`);
      result.push(builtin);
      continue;
    }
    const dir = join(workDir, String(index));
    if (source.kind === 'path') {
      const path = await checkLocal(source, options.allowedDirs);
      context.output.line(`-----> Copying buildpack ${source.path}`);
      await copyBuildpack(path, dir);
      result.push(new ExternalBuildpack(source.path, dir));
      continue;
    }
    if (source.protocol === 'file') await checkLocal(source, options.allowedDirs);
    context.output.line(`-----> Fetching buildpack ${source.url}${source.ref ? '' : ' (default branch)'}`);
    await gitFetch(source.url, source.ref, source.protocol, dir, workDir, context);
    result.push(checked(new ExternalBuildpack(source.ref ? `${source.url}#${source.ref}` : source.url, dir), dir, source.url));
  }
  return result;
}

/**
 * What can be told of buildpack sources without fetching anything, at `buildpacks:set` time:
 * built-ins exist; a local path is an allowed directory with bin/detect and bin/compile; a
 * file:// URL is an allowed git repository (bare or not). https URLs are tried at build time.
 */
export async function checkBuildpackSources(sources: BuildpackSource[], options: BuildpackFetchOptions): Promise<void> {
  for (const source of sources) {
    if (source.kind === 'builtin') {
      if (!options.builtIns.some((b) => b.id === source.id)) throw new DozenError('BUILDPACK_INVALID', `There is no built-in buildpack ${source.id}.`);
    } else if (source.kind === 'path' || source.protocol === 'file') await checkLocal(source, options.allowedDirs);
  }
}

async function checkLocal(source: Exclude<BuildpackSource, { kind: 'builtin' }>, dirs: readonly string[]): Promise<string> {
  const shown = source.kind === 'path' ? source.path : source.url;
  const path = await allowed(source.path as string, dirs, shown);
  if (source.kind === 'path') {
    checked(null, path, shown);
  } else if (!existsSync(join(path, 'HEAD')) && !existsSync(join(path, '.git'))) {
    throw new DozenError('BUILDPACK_INVALID', `Buildpack ${shown} is not a git repository (no .git, nor HEAD of a bare one).`, { hint: 'Give a file:// URL of a git repository, or the buildpack directory as a plain path.' });
  }
  return path;
}

/**
 * A local buildpack is copied by the platform itself (so that files only its owner reads, such
 * as a 0600 one, come along), without `.git`, keeping symbolic links as links; the copy becomes
 * the app's user's when its first command runs. Sockets and devices are left out.
 */
async function copyBuildpack(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true,
    filter: async (src) => {
      if (basename(src) === '.git') return false;
      const stat = await lstat(src);
      return stat.isDirectory() || stat.isFile() || stat.isSymbolicLink();
    },
  });
}

async function allowed(path: string, dirs: readonly string[], shown: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new DozenError('BUILDPACK_INVALID', `Buildpack ${shown} does not exist on the platform host.`);
  }
  const inside = dirs.some((dir) => real === dir || real.startsWith(dir.endsWith(sep) ? dir : dir + sep));
  if (!inside) {
    throw new DozenError('BUILDPACK_INVALID', `Buildpack ${shown} is outside the directories local buildpacks may come from (DOZEN_BUILDPACK_DIRS: ${dirs.join(':') || 'none'}).`);
  }
  return real;
}

function checked<T>(buildpack: T, dir: string, shown: string): T {
  for (const script of ['detect', 'compile']) {
    if (!existsSync(join(dir, 'bin', script))) throw new DozenError('BUILDPACK_INVALID', `Buildpack ${shown} has no bin/${script}: it is not a buildpack of the Heroku API.`);
  }
  return buildpack;
}

async function gitFetch(url: string, ref: string | null, protocol: 'https' | 'file', dir: string, workDir: string, context: BuildContext): Promise<void> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: workDir,
    LANG: 'C.UTF-8',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: protocol,
  };
  const config = ['-c', 'protocol.allow=never', '-c', `protocol.${protocol}.allow=always`, '-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false'];
  if (protocol === 'file') {
    // The fetch runs as the app's user, and a local repository belongs to someone else: git would
    // refuse it as of dubious ownership. Trusted is exactly that repository (in an allowed dir),
    // in a global config of our own: the local transport's upload-pack does not see -c settings.
    // git checks a bare repository by its own path, an ordinary clone by its .git directory.
    const global = join(workDir, 'gitconfig');
    const repo = url.slice('file://'.length);
    await writeFile(global, `[safe]
	directory = ${repo}
	directory = ${join(repo, '.git')}
`, { mode: 0o644 });
    env.GIT_CONFIG_GLOBAL = global;
  }
  const git = (args: string[]) => context.exec(['git', ...config, ...args], { env, cwd: workDir, writes: [workDir], readOnly: true, reads: protocol === 'file' ? [url.slice('file://'.length)] : [], network: protocol === 'https', quiet: true, replaceEnv: true });
  await git(['init', '-q', '--', dir]);
  await git(['-C', dir, 'fetch', '-q', '--depth', '1', '--', url, ref ?? 'HEAD']);
  await git(['-C', dir, 'checkout', '-q', 'FETCH_HEAD']);
  // The buildpack gets its files, as a copied one does, not the repository made to fetch them.
  await rm(join(dir, '.git'), { recursive: true, force: true });
}
