import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestPlatform } from './support/platform.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/**
 * Issue 3: builds run sandboxed as the app's own unprivileged user. A hostile buildpack tries
 * the platform's secrets, another app's slug, the host outside its directories, the platform's
 * environment and its processes; each attempt must be denied while its own dirs stay writable.
 */
describe('builds: the sandbox', () => {
  let platform: TestPlatform;
  const outside = mkdtempSync(join(tmpdir(), 'dozen-e2e-outside-'));

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_BUILDPACK_DIRS: join(FIXTURES, 'buildpacks') });
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(outside, { recursive: true, force: true });
  });

  const ok = (args: string[]) => platform.ok(args);

  it('runs build commands as the app user, seeing only what they were given', async () => {
    if (!platform.logs.includes('"sandbox":"bubblewrap"')) {
      throw new Error(`this test needs the bubblewrap sandbox; the platform said:\n${platform.logs}`);
    }
    await ok(['apps:create', 'victim']);
    await ok(['deploy', 'examples/node-web', '-a', 'victim']);
    const { app: victim } = JSON.parse((await ok(['apps:info', '-a', 'victim', '--json'])).stdout) as { app: { id: string } };

    await ok(['apps:create', 'snoop']);
    await ok([
      'config:set',
      `ADMIN_TOKEN_FILE=${join(platform.dataDir, 'admin-token')}`,
      `DATA_DIR=${platform.dataDir}`,
      `OTHER_SLUGS=${join(platform.dataDir, 'slugs', victim.id)}`,
      `OUTSIDE=${outside}`,
      '-a',
      'snoop',
    ]);
    await ok(['buildpacks:set', join(FIXTURES, 'buildpacks', 'snoop'), '-a', 'snoop']);
    const deploy = await ok(['deploy', join(FIXTURES, 'apps', 'snoop'), '-a', 'snoop']);
    const probes = Object.fromEntries([...deploy.stdout.matchAll(/probe ([\w-]+): (.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(Number(probes.uid)).toBeGreaterThanOrEqual(70_000);
    // A denial names its target and says why; any other failure (a wrong path, a missing tool) is
    // not a denial. Each target exists on the host, so only the sandbox can hide it.
    const hidden = '(No such file or directory|Permission denied|Read-only file system)';
    const targets = { 'read-admin-token': join(platform.dataDir, 'admin-token'), 'read-store': join(platform.dataDir, 'dozen.db'), 'read-other-slug': join(platform.dataDir, 'slugs', victim.id), 'write-outside': join(outside, 'written-by-build'), 'read-root-home': '/root' };
    for (const [probe, path] of Object.entries(targets)) {
      expect(existsSync(probe === 'write-outside' ? outside : path), path).toBe(true);
      expect(probes[probe], probe).toMatch(new RegExp(`^denied \\(.*'?${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'?: ${hidden}\\)$`));
    }
    expect(probes).toMatchObject({ 'write-build-dir': 'ok', 'write-cache-dir': 'ok' });
    expect(deploy.stdout).toMatch(/environment: 0 DOZEN_ variables of [1-9]\d*$/m);
    const visibleProcesses = Number(/processes visible: (\d+)$/m.exec(deploy.stdout)?.[1]);
    const hostProcesses = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
    expect(hostProcesses).toBeGreaterThan(20);
    expect(visibleProcesses).toBeGreaterThan(0);
    expect(visibleProcesses).toBeLessThanOrEqual(20);
    const visible = (/visible in data dir: (.*)$/m.exec(deploy.stdout)?.[1] ?? '').trim().split(/\s+/).filter(Boolean).sort();
    expect(visible.every((name) => ['cache', 'runtimes', 'tmp'].includes(name)), visible.join(' ')).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
    expect((await platform.http('snoop')).body).toBe('snooped');
  });
});
