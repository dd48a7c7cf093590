import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestPlatform } from './support/platform.js';

/** The node buildpack's package managers: pnpm and yarn from the npm registry, lockfiles strict. */
describe('builds: pnpm, yarn and no lockfile', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-pm-'));
  const deploy = async (dir: string, app: string) => {
    await platform.cli(['apps:create', app]);
    const result = await platform.cli(['deploy', dir, '-a', app]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const response = await platform.http(app);
    expect(JSON.parse(response.body)).toEqual({ twoDays: 172_800_000 });
    return result.stdout;
  };
  /** A copy of a fixture app with one more file (a new slug) and the same lockfile. */
  const changed = (fixture: string) => {
    const dir = join(scratch, `${fixture}-changed`);
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', fixture), dir, { recursive: true });
    writeFileSync(join(dir, 'CHANGELOG'), 'a change outside the dependencies\n');
    return dir;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs a pnpm-lock.yaml app with pnpm --frozen-lockfile; a redeploy with the same lockfile reuses node_modules', async () => {
    const out = await deploy(join(ROOT, 'test', 'fixtures', 'apps', 'pnpm-app'), 'with-pnpm');
    expect(out).toMatch(/Installing pnpm@9\.\d+\.\d+ from the npm registry/);
    expect(out).toMatch(/Installing dependencies with pnpm@9\.\d+\.\d+ install --frozen-lockfile/);
    expect(out).toContain('node_modules saved to the build cache');
    const warm = await deploy(changed('pnpm-app'), 'with-pnpm');
    expect(warm).toMatch(/Dependencies unchanged \(pnpm-lock\.yaml, pnpm@9\.\d+\.\d+, Node\.js v[\d.]+, \w+\): node_modules restored from the build cache, nothing installed/);
    expect(warm).not.toContain('Installing dependencies');
  });

  it('installs a yarn.lock app with yarn 1 --frozen-lockfile; a redeploy with the same lockfile reuses node_modules', async () => {
    const out = await deploy(join(ROOT, 'test', 'fixtures', 'apps', 'yarn-app'), 'with-yarn');
    expect(out).toMatch(/Installing yarn@1\.\d+\.\d+ from the npm registry/);
    expect(out).toMatch(/Installing dependencies with yarn@1\.\d+\.\d+ install --frozen-lockfile/);
    expect(out).toContain('node_modules saved to the build cache');
    const warm = await deploy(changed('yarn-app'), 'with-yarn');
    expect(warm).toMatch(/Dependencies unchanged \(yarn\.lock, yarn@1\.\d+\.\d+, Node\.js v[\d.]+, \w+\): node_modules restored from the build cache, nothing installed/);
    expect(warm).not.toContain('Installing dependencies');
  });

  it('installs an app without a lockfile with npm install and a warning', async () => {
    const app = join(scratch, 'no-lockfile');
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'yarn-app'), app, { recursive: true });
    unlinkSync(join(app, 'yarn.lock'));
    const out = await deploy(app, 'no-lock');
    expect(out).toContain('Warning: No lockfile: installing with npm install');
    const [build] = JSON.parse((await platform.cli(['builds', '-a', 'no-lock', '--json'])).stdout) as { warnings: string[] }[];
    expect(build?.warnings).toEqual([expect.stringMatching(/^No lockfile: installing with npm install/)]);
    expect((await platform.cli(['builds:info', '-a', 'no-lock'])).stdout).toMatch(/Warning:\s+No lockfile/);
  });

  it('takes the package manager from the packageManager field before the lockfile, and refuses a bad one', async () => {
    const app = join(scratch, 'package-manager-field');
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'pnpm-app'), app, { recursive: true });
    const setField = (value: string) => {
      const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(app, 'package.json'), JSON.stringify({ ...pkg, packageManager: value }));
    };
    setField('yarn@1.22.22');
    const out = await deploy(app, 'pm-field');
    expect(out).toContain('Installing dependencies with yarn@1.22.22 install --non-interactive --production=false');
    expect(out).toContain('Warning: No lockfile: installing with yarn@1.22.22 install');
    expect(out).not.toMatch(/pnpm@\d/);

    for (const value of ['bun@1.1.0', 'pnpm@latest', 'yarn', 'npm@^10']) {
      setField(value);
      const result = await platform.cli(['deploy', app, '-a', 'pm-field']);
      expect(result.code, `${result.stdout}\n${result.stderr}`).not.toBe(0);
      expect(result.stderr).toContain('(BUILD_FAILED');
      expect(result.stderr).toContain(`packageManager ${JSON.stringify(value)} is not npm|pnpm|yarn@<version>`);
      expect(result.stderr).toContain('Set packageManager to npm, pnpm or yarn and an exact version');
    }
    const response = await platform.http('pm-field');
    expect(JSON.parse(response.body)).toEqual({ twoDays: 172_800_000 });
    const releases = JSON.parse((await platform.cli(['releases', '-a', 'pm-field', '--json'])).stdout) as unknown[];
    expect(releases).toHaveLength(1);
  });
});
