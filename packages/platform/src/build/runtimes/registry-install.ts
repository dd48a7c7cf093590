import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from '../buildpacks/buildpack.js';

/**
 * Installs `pkg@version` from the npm registry into a fresh directory under `tmpRoot` and hands
 * it to `keep` (which moves what it wants out of `<tmp>/node_modules/<pkg>`); the directory is
 * removed afterwards. The command sees a clean environment: none of the app's config vars (an
 * `NPM_CONFIG_REGISTRY` of one app must not fill the cache every app shares), no lifecycle scripts.
 */
export async function installFromRegistry<T>(npm: readonly [string, ...string[]], spec: string, tmpRoot: string, context: BuildContext, keep: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = join(tmpRoot, randomUUID());
  await mkdir(tmp, { recursive: true });
  // npm installs into the nearest package root: make it this directory. (No --prefix: it would
  // also move npm's global config, and with it the machine's registry and CA settings.)
  await writeFile(join(tmp, 'package.json'), '{"private":true}');
  try {
    const env: Record<string, string> = { PATH: context.env.PATH ?? '/usr/bin:/bin', HOME: tmp, LANG: 'C.UTF-8', npm_config_cache: join(tmp, '.npm'), npm_config_update_notifier: 'false' };
    if (context.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = context.env.NODE_EXTRA_CA_CERTS;
    await context.exec([...npm, 'install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', spec], { cwd: tmp, writes: [tmp], network: true, env, replaceEnv: true, quiet: true });
    await rm(join(tmp, '.npm'), { recursive: true, force: true });
    return await keep(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
