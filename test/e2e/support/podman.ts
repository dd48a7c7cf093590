import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PODMAN = '/usr/bin/podman';
/** The base image of the Kubernetes runtime's pods, built here from a Debian root file system. */
export const BASE_IMAGE = 'localhost/dozen-base:bookworm';

/**
 * The environment Podman works with on these machines (see the feasibility notes): runc (crun
 * refuses the hybrid cgroups here) and no default ulimits (raising them is not permitted).
 */
export function podmanEnv(dir: string): NodeJS.ProcessEnv {
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n');
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', CONTAINERS_CONF: conf };
}

export function podman(env: NodeJS.ProcessEnv, args: string[], input?: string): string {
  return execFileSync(PODMAN, args, { env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000, ...(input === undefined ? {} : { input }) });
}

/** podman, its exit code and output together (no throw). */
export function podmanTry(env: NodeJS.ProcessEnv, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(PODMAN, args, { env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The base image, made once per machine: a `mmdebstrap --variant=minbase bookworm` root file system
 * (bash, tar, gzip, libstdc++: what Node.js and the init container need), cached as a tar under
 * ~/.cache/dozen-test so that a removed image is imported again in seconds, not rebuilt.
 */
export function ensureBaseImage(env: NodeJS.ProcessEnv): void {
  if (podmanTry(env, ['image', 'exists', BASE_IMAGE]).status === 0) return;
  const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dozen-test');
  const tar = join(cacheDir, 'dozen-base-bookworm.tar');
  if (!existsSync(tar)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${tar}.partial`;
    execFileSync('/usr/bin/mmdebstrap', ['--quiet', '--variant=minbase', '--format=tar', 'bookworm', partial], { env: { ...env, TMPDIR: '/var/tmp' }, stdio: 'pipe', timeout: 300_000 });
    renameSync(partial, tar);
  }
  podman(env, ['import', tar, BASE_IMAGE]);
}
