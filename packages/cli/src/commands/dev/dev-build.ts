import { join } from 'node:path';

/** Where `dozen dev --build` builds: `.dozen/dev-build` of the working directory (the `.dozen/` dir git-ignores itself). */
export const DEV_BUILD_DIR = join('.dozen', 'dev-build');

export interface BuiltForDev {
  dir: string;
  processTypes: Record<string, string>;
  env: Record<string, string>;
}

/** Builds `cwd` with the platform's builder (the CLI loads the platform for this, as `dozen up` does). */
export async function buildForDev(cwd: string, config: Record<string, string>, say: (line: string) => void): Promise<BuiltForDev> {
  const { devBuild } = await import('@dozen/platform/dev');
  say(`-----> Building ${cwd} with the platform's buildpacks into ${DEV_BUILD_DIR}`);
  const built = await devBuild(cwd, join(cwd, DEV_BUILD_DIR), config, (line) => say(line));
  say(`-----> Running the slug in ${built.slugDir} (sha256 ${built.digest.slice(0, 12)})`);
  return { dir: built.slugDir, processTypes: built.processTypes, env: built.env };
}
