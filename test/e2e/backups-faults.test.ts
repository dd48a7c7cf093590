import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPlatform, namesIn, restoreInto, sharedSecretKey, when } from './support/backups.js';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

/**
 * Issue 15, the backup faults: kill -9 of the platform mid-backup (no archive that looks complete
 * is left, the next backup works), a full disk during a backup (a clear error, the serving release
 * and the store intact, no partial archive), kill -9 of a restore mid-way (run again, it succeeds).
 */
describe('backups: faults', () => {
  const key = sharedSecretKey();
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-backup-faults-'));
  let platform: TestPlatform;
  let restored: TestPlatform | null = null;
  let body = '';
  const backupsDir = () => join(platform.dataDir, 'backups');
  const looksComplete = (names: string[]) => names.filter((n) => n.endsWith('.tar.gz') || n.endsWith('.json'));

  beforeAll(async () => {
    platform = await TestPlatform.start(key);
    await platform.ok(['apps:create', 'hello']);
    // The embedded PostgreSQL's base backup makes a backup take a while: there is a "mid-way".
    await platform.ok(['addons:create', 'postgres', '-a', 'hello']);
    await platform.ok(['deploy', 'examples/node-web', '-a', 'hello']);
    body = (await platform.http('hello')).body;
  });
  afterAll(async () => {
    try {
      execFileSync('umount', [backupsDir()], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    await restored?.destroy();
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('kill -9 of the platform mid-backup: nothing that looks like an archive is left; after a start the leftovers are gone and the next backup works', async () => {
    const creating = platform.cli(['backups:create']);
    // Killed while the archive itself is written: the moment a naive writer has its final name.
    await when(() => namesIn(backupsDir()).some((n) => n.endsWith('.tar.gz.partial')));
    await platform.stop('SIGKILL');
    expect((await creating).code).not.toBe(0);
    const left = namesIn(backupsDir());
    expect(left.length, 'the kill came mid-way').toBeGreaterThan(0);
    expect(looksComplete(left)).toEqual([]);

    platform = await platform.restart();
    expect(namesIn(backupsDir())).toEqual([]);
    expect(JSON.parse((await platform.ok(['backups', '--json'])).stdout)).toEqual([]);
    expect((await platform.http('hello')).body).toBe(body);
    await platform.ok(['backups:create', '--to', join(scratch, 'good.tar.gz')]);
    expect(JSON.parse((await platform.ok(['backups', '--json'])).stdout)).toHaveLength(1);
  });

  it('a full disk during a backup: BACKUP_FAILED naming it, no partial archive, the app serving and the store writable', async () => {
    const releases = (await platform.ok(['releases', '-a', 'hello', '--json'])).stdout;
    // A backups dir of 512 KB: the store fits, the PostgreSQL cluster does not.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', backupsDir()]);
    try {
      const failed = await platform.fails(['backups:create'], 'BACKUP_FAILED');
      expect(failed.stderr).toContain('the disk is full');
      expect(namesIn(backupsDir())).toEqual([]);
      expect((await platform.http('hello')).body).toBe(body);
      expect((await platform.ok(['releases', '-a', 'hello', '--json'])).stdout).toBe(releases);
      await platform.ok(['config:set', 'AFTER=full-disk', '-a', 'hello']);
    } finally {
      execFileSync('umount', [backupsDir()]);
    }
    // The archive of the first test is still there (it was under the mount), and a new one works.
    expect(JSON.parse((await platform.ok(['backups', '--json'])).stdout)).toHaveLength(1);
  });

  it('kill -9 of a restore mid-way: the same restore, run again, succeeds and the app serves', async () => {
    await platform.stop();
    restored = freshPlatform(key);
    const target = restored;
    const child = spawn(process.execPath, [join(ROOT, 'packages', 'cli', 'bin', 'dozen.js'), 'backups:restore', join(scratch, 'good.tar.gz')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: target.dataDir, DOZEN_DATA_DIR: target.dataDir, ...key },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await when(() => namesIn(join(target.dataDir, 'restore-staging')).length > 0);
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    expect(existsSync(join(target.dataDir, 'restore-staging'))).toBe(true);
    // As if the kill had come after the marker, with a part already moved in: the platform refuses
    // that data dir, and the restore run again replaces the part.
    writeFileSync(join(target.dataDir, 'restore-in-progress'), '{}\n');
    mkdirSync(join(target.dataDir, 'slugs', 'half-moved'), { recursive: true });
    await expect(target.boot()).rejects.toThrow(/RESTORE_FAILED|did not finish/);

    const again = await restoreInto(target, join(scratch, 'good.tar.gz'), key);
    expect(again.code, again.stderr).toBe(0);
    expect(namesIn(target.dataDir)).not.toContain('restore-staging');
    expect(namesIn(target.dataDir)).not.toContain('restore-in-progress');
    expect(namesIn(join(target.dataDir, 'slugs'))).not.toContain('half-moved');
    await target.boot();
    await eventually(async () => expect((await target.http('hello')).body).toBe(body));
  });
});
