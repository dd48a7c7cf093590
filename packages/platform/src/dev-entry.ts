/**
 * What `dozen dev` takes from the platform, loaded without the rest of it: the Procfile parser the
 * builds use, and (loaded on first use) the build of a directory with the platform's own builder.
 */
import type { DevBuild } from './dev-build.js';

export { parseProcfile } from './core/procfile.js';
export type { DevBuild } from './dev-build.js';

export async function devBuild(sourceDir: string, outDir: string, config: Record<string, string>, say: (line: string) => void): Promise<DevBuild> {
  return (await import('./dev-build.js')).devBuild(sourceDir, outDir, config, say);
}
