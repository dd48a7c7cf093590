import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { DozenError } from '@dozen/contracts/errors';
import type { BuildContext } from '../buildpacks/buildpack.js';

/**
 * The versions of an npm package that the registry lists (`npm view PKG versions`), kept in a
 * file for an hour: Node.js runtimes (`node-linux-<arch>`) and npm itself resolve against it.
 * A stale list is better than none when the registry cannot be reached.
 */
export class PublishedVersions {
  constructor(
    private readonly dir: string,
    private readonly npm: [string, ...string[]],
    private readonly ttlMs = 3_600_000,
  ) {}

  async list(pkg: string, context: BuildContext): Promise<string[]> {
    const file = join(this.dir, `${pkg.replace('/', '__')}.json`);
    const cached = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { fetchedAt: number; versions: string[] })
      .catch(() => null);
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return cached.versions;
    const result = await context.run([...this.npm, 'view', pkg, 'versions', '--json'], { capture: true, network: true, quiet: true, cwd: context.buildDir });
    try {
      if (result.code !== 0) throw new Error(result.tail.join(' '));
      const versions = (JSON.parse(result.stdout) as string[]).filter((v) => semver.valid(v) !== null);
      await mkdir(this.dir, { recursive: true });
      await writeFile(file, JSON.stringify({ fetchedAt: Date.now(), versions }));
      return versions;
    } catch (error) {
      if (cached) return cached.versions;
      throw new DozenError('BUILD_FAILED', `Could not list the published versions of ${pkg}: ${(error as Error).message}`);
    }
  }
}

/** The newest release of each major around what the range asks for (at most four, oldest first). */
export function nearestVersions(versions: string[], range: string): string[] {
  const wanted = semver.minVersion(range)?.major ?? null;
  const newestPerMajor = new Map<number, string>();
  for (const v of versions) {
    if (semver.prerelease(v)) continue;
    const major = semver.major(v);
    const best = newestPerMajor.get(major);
    if (!best || semver.gt(v, best)) newestPerMajor.set(major, v);
  }
  const majors = [...newestPerMajor.keys()].sort((a, b) => (wanted === null ? b - a : Math.abs(a - wanted) - Math.abs(b - wanted) || b - a));
  return majors
    .slice(0, 4)
    .sort((a, b) => a - b)
    .map((m) => newestPerMajor.get(m) as string);
}
