import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { DozenError } from '@dozen/contracts/errors';
import { installFromRegistry } from '../../runtimes/registry-install.js';
import { SingleFlight } from '../../runtimes/single-flight.js';
import { readRegularFile, regularFileExists } from '../../safe-files.js';
import type { BuildContext } from '../buildpack.js';
import type { PackageJson } from './package-json.js';

export type ManagerName = 'npm' | 'pnpm' | 'yarn';

/** Which package manager an app uses, and how it asked for it. */
export interface ManagerChoice {
  name: ManagerName;
  /** A version or range; null: npm of the platform. */
  range: string | null;
  lockfile: string | null;
  /** yarn 2+ (berry) is another program than yarn 1. */
  berry: boolean;
}

const LOCKFILES: [string, ManagerName][] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
];

/** `packageManager` ("pnpm@9.12.0+sha512...") first, then the lockfile; npm when neither says. */
export async function chooseManager(pkg: PackageJson, buildDir: string): Promise<ManagerChoice> {
  const present: [string, ManagerName][] = [];
  for (const entry of LOCKFILES) if (await regularFileExists(buildDir, entry[0])) present.push(entry);
  if (typeof pkg.packageManager === 'string') {
    const match = /^(npm|pnpm|yarn)@([^+\s]+)(\+.*)?$/.exec(pkg.packageManager);
    if (!match || semver.valid(match[2]) === null) {
      throw new DozenError('BUILD_FAILED', `package.json: packageManager ${JSON.stringify(pkg.packageManager)} is not npm|pnpm|yarn@<version>.`, {
        hint: 'Set packageManager to npm, pnpm or yarn and an exact version (e.g. "pnpm@9.12.0", as `corepack use` writes it), or remove it to go by the lockfile.',
      });
    }
    const name = match[1] as ManagerName;
    const lockfile = present.find(([, m]) => m === name)?.[0] ?? null;
    return { name, range: match[2] as string, lockfile, berry: name === 'yarn' && semver.major(match[2] as string) >= 2 };
  }
  const first = present[0];
  if (!first) return { name: 'npm', range: null, lockfile: null, berry: false };
  const [lockfile, name] = first;
  if (name === 'pnpm') return { name, range: await pnpmForLockfile(buildDir), lockfile, berry: false };
  if (name === 'yarn') {
    const berry = ((await readRegularFile(buildDir, 'yarn.lock', 64 * 1024 * 1024)) ?? '').includes('__metadata:');
    return { name, range: berry ? '4' : '1', lockfile, berry };
  }
  return { name, range: null, lockfile, berry: false };
}

/** The pnpm major that writes the lockfile's format, so a frozen install reads it as is. */
async function pnpmForLockfile(buildDir: string): Promise<string> {
  const head = ((await readRegularFile(buildDir, 'pnpm-lock.yaml', 256 * 1024 * 1024)) ?? '').slice(0, 200);
  const version = /lockfileVersion:\s*'?(\d+)/.exec(head)?.[1];
  return version === '5' ? '7' : version === '6' ? '8' : '9';
}

/** The npm package that carries each manager, and its entry script. */
function packageOf(choice: ManagerChoice): { pkg: string; bin: string } {
  if (choice.name === 'pnpm') return { pkg: 'pnpm', bin: 'bin/pnpm.cjs' };
  if (choice.berry) return { pkg: '@yarnpkg/cli-dist', bin: 'bin/yarn.js' };
  return { pkg: 'yarn', bin: 'bin/yarn.js' };
}

/**
 * pnpm and yarn come from the npm registry through npm, installed once per version into the
 * shared tool cache (`<runtimes>/<package>/<version>`): nothing downloads from elsewhere.
 */
export class PackageManagerTools {
  private readonly installs = new SingleFlight<string>();

  constructor(
    private readonly dir: string,
    /** Downloads in progress (the data dir's `runtimesScratch`). */
    private readonly scratch: string,
    private readonly npm: [string, ...string[]],
  ) {}

  /** The script to run the manager with (under the platform's Node.js), and its version. */
  async entry(choice: ManagerChoice, context: BuildContext): Promise<{ script: string; version: string }> {
    const { pkg, bin } = packageOf(choice);
    const base = join(this.dir, pkg.replace('/', '__'));
    const range = choice.range ?? '*';
    const cached = installedVersions(base).filter((v) => semver.satisfies(v, range));
    let version = semver.maxSatisfying(cached, range);
    if (!version) version = await this.latest(pkg, range, context);
    const found = version;
    const dir = await this.installs.run(`${pkg}@${found}`, () => this.install(pkg, found, join(base, found), context));
    return { script: join(dir, bin), version };
  }

  private async latest(pkg: string, range: string, context: BuildContext): Promise<string> {
    const result = await context.run([...this.npm, 'view', `${pkg}@${range}`, 'version', '--json'], { capture: true, network: true, quiet: true });
    let versions: string[] = [];
    try {
      const parsed = JSON.parse(result.stdout) as string | string[];
      versions = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      // handled below
    }
    const version = semver.maxSatisfying(versions, range);
    if (result.code !== 0 || !version) throw new DozenError('BUILD_FAILED', `No published ${pkg} matches ${JSON.stringify(range)} (${result.tail.slice(-1)[0] ?? 'npm view found nothing'}).`);
    return version;
  }

  private async install(pkg: string, version: string, dir: string, context: BuildContext): Promise<string> {
    const installed = join(dir, 'node_modules', pkg);
    if (existsSync(installed)) return installed;
    context.output.line(`       Installing ${pkg}@${version} from the npm registry (once; kept in the tool cache)`);
    return installFromRegistry(this.npm, `${pkg}@${version}`, this.scratch, context, async (tmp) => {
      await mkdir(join(dir, '..'), { recursive: true });
      await rename(tmp, dir).catch((error: NodeJS.ErrnoException) => {
        if (!existsSync(installed)) throw error;
      });
      return installed;
    });
  }
}

function installedVersions(base: string): string[] {
  try {
    return readdirSync(base).filter((v) => semver.valid(v) !== null);
  } catch {
    return [];
  }
}
