import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestPlatform } from './support/platform.js';

interface ReleaseInfo {
  version: number;
  slug: string | null;
  current: boolean;
}

interface StatusInfo {
  version: string;
  schema: string;
  apps: number;
  uptimeSeconds: number;
  disk: { total: number; areas: Record<string, number>; apps: { app: string; slugs: number; cache: number; logs: number; total: number }[] };
  backups: { schedule: string; keep: number; last: unknown; next: string | null };
}

/** `du -sk PATH` in bytes: what `dozen status` must agree with. */
function du(path: string): number {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/** Issue 15, acceptance 4: garbage collection keeps the rollback window; `dozen status` measures like du. */
describe('garbage collection and dozen status', () => {
  let platform: TestPlatform;
  const source = mkdtempSync(join(tmpdir(), 'dozen-e2e-gc-'));
  const releases = async () => JSON.parse((await platform.ok(['releases', '-a', 'gc', '--json'])).stdout) as ReleaseInfo[];
  const slugDirs = (appId: string) => readdirSync(join(platform.dataDir, 'slugs', appId)).sort();

  beforeAll(async () => {
    platform = await TestPlatform.start();
    // A Procfile-only app: no install, a build of well under a second. Each deploy differs (deploy.txt).
    writeFileSync(join(source, 'Procfile'), 'web: node server.js\n');
    writeFileSync(join(source, 'server.js'), "require('node:http').createServer((q, s) => s.end(require('node:fs').readFileSync('deploy.txt', 'utf8'))).listen(Number(process.env.PORT));\n");
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(source, { recursive: true, force: true });
  });

  it('after 15 deploys only the slugs of the window remain; rollback works inside it and is refused past it', async () => {
    await platform.ok(['apps:create', 'gc']);
    for (let n = 1; n <= 15; n += 1) {
      writeFileSync(join(source, 'deploy.txt'), `deploy ${n}`);
      await platform.ok(['deploy', source, '-a', 'gc']);
    }
    expect((await platform.http('gc')).body).toBe('deploy 15');
    const appId = JSON.parse((await platform.ok(['apps:info', '-a', 'gc', '--json'])).stdout).app.id as string;
    // Deploys are v1..v15: the window is v6..v15.
    const all = await releases();
    const bySlug = (from: number, to: number) => all.filter((r) => r.version >= from && r.version <= to).map((r) => r.slug as string).sort();
    await eventually(async () => expect(slugDirs(appId)).toEqual(bySlug(6, 15)), 20_000);
    for (const slug of bySlug(1, 5)) expect(existsSync(join(platform.dataDir, 'slugs', appId, slug))).toBe(false);

    // The oldest release in the window serves again (a new release, v16, on v6's slug).
    const back = await platform.ok(['rollback', 'v6', '-a', 'gc']);
    expect(back.stdout).toContain('now at v16');
    await eventually(async () => expect((await platform.http('gc')).body).toBe('deploy 6'));
    // Past the window: a clear refusal, and the app keeps serving what it served.
    const refused = await platform.fails(['rollback', 'v5', '-a', 'gc'], 'SLUG_COLLECTED');
    expect(refused.stderr).toContain('v5 of gc is outside the rollback window');
    expect((await platform.http('gc')).body).toBe('deploy 6');
    // v16 shares v6's slug: the window (v7..v16) still holds exactly these.
    await eventually(async () => expect(slugDirs(appId)).toEqual(bySlug(6, 15)), 20_000);
  }, 80_000);

  it('dozen status shows the disk use of the data dir as du measures it, per area and per app', async () => {
    const status = JSON.parse((await platform.ok(['status', '--json'])).stdout) as StatusInfo;
    const total = du(platform.dataDir);
    expect(Math.abs(status.disk.total - total) / total).toBeLessThan(0.05);
    const slugs = du(join(platform.dataDir, 'slugs'));
    expect(Math.abs(status.disk.areas.slugs! - slugs) / slugs).toBeLessThan(0.05);
    expect(status.apps).toBe(1);
    expect(status.schema).toMatch(/^\d{3}-/);
    expect(status.backups).toEqual({ schedule: 'off', keep: 7, last: null, next: null });
    const app = status.disk.apps.find((a) => a.app === 'gc');
    const appId = JSON.parse((await platform.ok(['apps:info', '-a', 'gc', '--json'])).stdout).app.id as string;
    const appSlugs = du(join(platform.dataDir, 'slugs', appId));
    expect(Math.abs((app?.slugs ?? 0) - appSlugs) / appSlugs).toBeLessThan(0.05);
    expect(app?.total).toBe((app?.slugs ?? 0) + (app?.cache ?? 0) + (app?.logs ?? 0));
    expect(app?.logs).toBeGreaterThan(0);
    const text = (await platform.ok(['status'])).stdout;
    expect(text).toContain('=== Disk use per app');
    expect(text).toMatch(/\ngc\s+\d/);
  });
});
