import { existsSync } from 'node:fs';
import { realpath, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
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
      const path = await allowed(source.path, options.allowedDirs, source.path);
      context.output.line(`-----> Copying buildpack ${source.path}`);
      await context.exec(['cp', '-a', '--', `${path}/.`, dir], { reads: [path], writes: [workDir], readOnly: true, quiet: true });
      result.push(checked(new ExternalBuildpack(source.path, dir), dir, source.path));
      continue;
    }
    if (source.protocol === 'file') await allowed(source.path as string, options.allowedDirs, source.url);
    context.output.line(`-----> Fetching buildpack ${source.url}${source.ref ? '' : ' (default branch)'}`);
    await gitFetch(source.url, source.ref, source.protocol, dir, workDir, context);
    result.push(checked(new ExternalBuildpack(source.ref ? `${source.url}#${source.ref}` : source.url, dir), dir, source.url));
  }
  return result;
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

function checked(buildpack: ExternalBuildpack, dir: string, shown: string): ExternalBuildpack {
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
    const global = join(workDir, 'gitconfig');
    await writeFile(global, `[safe]
	directory = ${url.slice('file://'.length)}
`, { mode: 0o644 });
    env.GIT_CONFIG_GLOBAL = global;
  }
  const git = (args: string[]) => context.exec(['git', ...config, ...args], { env, cwd: workDir, writes: [workDir], readOnly: true, reads: protocol === 'file' ? [url.slice('file://'.length)] : [], network: protocol === 'https', quiet: true, replaceEnv: true });
  await git(['init', '-q', '--', dir]);
  await git(['-C', dir, 'fetch', '-q', '--depth', '1', '--', url, ref ?? 'HEAD']);
  await git(['-C', dir, 'checkout', '-q', 'FETCH_HEAD']);
}
