import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirLayout, type DataDirLayout } from '@dozen/contracts/node';
import { DataDirDisk } from './data-dir-disk.js';

const du = (path: string) => Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;

function file(path: string, bytes: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.alloc(bytes, 1));
}

describe('the data dir disk', () => {
  let layout: DataDirLayout;
  let disk: DataDirDisk;
  beforeEach(() => {
    layout = dataDirLayout(mkdtempSync(join(tmpdir(), 'dozen-disk-')));
    disk = new DataDirDisk(layout, layout.store);
    file(layout.store, 40_000);
    file(join(layout.slugs, 'a1', 's1', 'server.js'), 120_000);
    file(join(layout.slugs, 'a1', 's2', 'server.js'), 5_000);
    // A hard link (the same inode twice): counted once, as du does.
    linkSync(join(layout.slugs, 'a1', 's1', 'server.js'), join(layout.slugs, 'a1', 's2', 'same.js'));
    file(join(layout.cache, 'a1', 'node', 'x'), 30_000);
    file(join(layout.cache, 'gone', 'node', 'x'), 1_000);
    file(join(layout.logs, 'web', '1.ndjson'), 9_000);
    file(join(layout.runtimes, 'node', '22.1.0-x64', 'bin', 'node'), 64_000);
    file(join(layout.builds, 'b1', 'env', 'A'), 10);
    file(join(layout.root, 'git', 'repos', 'a1.git', 'HEAD'), 20);
  });
  afterEach(() => rmSync(layout.root, { recursive: true, force: true }));

  it('lists slugs, app dirs, runtimes and build dirs', async () => {
    expect(await disk.inventory()).toEqual({
      slugs: [{ appId: 'a1', slugId: 's1' }, { appId: 'a1', slugId: 's2' }],
      appDirs: [{ appId: 'a1', area: 'slugs' }, { appId: 'a1', area: 'cache' }, { appId: 'gone', area: 'cache' }],
      runtimes: [join(layout.runtimes, 'node', '22.1.0-x64')],
      builds: ['b1'],
    });
  });

  it('measures the data dir as du does: in total, per area and per app', async () => {
    const usage = await disk.usage();
    expect(usage.total).toBe(du(layout.root));
    expect(usage.areas.slugs).toBe(du(layout.slugs));
    expect(usage.areas.caches).toBe(du(layout.cache));
    expect(usage.areas.runtimes).toBe(du(layout.runtimes));
    expect(usage.areas.store).toBeGreaterThanOrEqual(40_000);
    expect(usage.appSlugs.a1).toBe(du(join(layout.slugs, 'a1')));
    expect(Object.keys(usage.appCaches).sort()).toEqual(['a1', 'gone']);
    expect(usage.appLogs.web).toBe(du(join(layout.logs, 'web')));
  });

  it('removes what it is told, within its own directories only', async () => {
    const outside = join(layout.root, 'git');
    await disk.remove({ slugs: [{ appId: 'a1', slugId: 's1' }], appDirs: [{ appId: 'gone', area: 'cache' }], runtimes: [join(layout.runtimes, 'node', '22.1.0-x64'), outside], builds: ['b1'] });
    expect(existsSync(join(layout.slugs, 'a1', 's1'))).toBe(false);
    expect(existsSync(join(layout.slugs, 'a1', 's2', 'same.js'))).toBe(true);
    expect(existsSync(join(layout.cache, 'gone'))).toBe(false);
    expect(existsSync(join(layout.cache, 'a1'))).toBe(true);
    expect(existsSync(join(layout.runtimes, 'node', '22.1.0-x64'))).toBe(false);
    expect(existsSync(join(layout.builds, 'b1'))).toBe(false);
    expect(existsSync(outside)).toBe(true);
  });

  it('tells the free and total space of the data dir\'s file system', async () => {
    const space = await disk.space();
    expect(space.path).toBe(layout.root);
    expect(space.totalBytes).toBeGreaterThan(space.freeBytes);
  });
});
