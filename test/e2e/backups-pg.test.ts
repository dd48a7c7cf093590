import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalPostgres, type ExternalPostgres } from '../../packages/platform/src/test-support/external-postgres.js';
import { withClient } from '../../packages/platform/src/test-support/pg-resource-client.js';
import { eventually, TestPlatform } from './support/platform.js';

/**
 * Issue 15, Heroku's pg:backups: capture a postgres add-on, list, download, restore it (confirmed
 * with the app name) after its data changed. On an external PostgreSQL of the host's version: the
 * embedded server is newer than the host's pg_dump (docs/decisions.md, "Backups and restore").
 */
describe('pg:backups: one postgres add-on captured, downloaded and restored', () => {
  let platform: TestPlatform;
  let external: ExternalPostgres;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-pg-backups-'));
  let url = '';
  const names = async () => withClient(url, async (client) => (await client.query('select name from guests order by name')).rows.map((r: { name: string }) => r.name));

  beforeAll(async () => {
    external = await startExternalPostgres();
    // Scheduled backups on too: the first one is made at start (there is none yet).
    platform = await TestPlatform.start({ DOZEN_POSTGRES_ADMIN_URL: external.adminUrl, DOZEN_BACKUP_SCHEDULE: '6h', DOZEN_BACKUP_KEEP: '1' });
    await platform.ok(['apps:create', 'shop']);
    await platform.ok(['addons:create', 'postgres', '-a', 'shop']);
    url = (JSON.parse((await platform.ok(['config', '-a', 'shop', '--json'])).stdout) as Record<string, string>).DATABASE_URL as string;
    await withClient(url, (client) => client.query("create table guests (id serial primary key, name text not null); insert into guests (name) values ('Ada'), ('Grace')"));
  });
  afterAll(async () => {
    await platform?.destroy();
    await external?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('DOZEN_BACKUP_SCHEDULE: a scheduled archive at the first start, none more at a restart (the next is 6h after it)', async () => {
    const scheduled = async () => (JSON.parse((await platform.ok(['backups', '--json'])).stdout) as { id: string; scheduled: boolean }[]).filter((b) => b.scheduled);
    const first = await eventually(async () => {
      const list = await scheduled();
      expect(list).toHaveLength(1);
      return list;
    });
    platform = await platform.restart();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await scheduled()).toEqual(first);
    // `dozen status` says the schedule, the last one and when the next is due (6 h after it).
    const status = JSON.parse((await platform.ok(['status', '--json'])).stdout) as { backups: { schedule: string; keep: number; last: { id: string; ok: boolean } | null; next: string | null } };
    expect(status.backups).toMatchObject({ schedule: 'every 6h', keep: 1, last: { id: first[0]?.id, ok: true } });
    const created = Date.parse((JSON.parse((await platform.ok(['backups', '--json'])).stdout) as { createdAt: string }[])[0]?.createdAt ?? '');
    expect(Math.abs(Date.parse(status.backups.next ?? '') - created - 6 * 3600 * 1000)).toBeLessThan(2000);
    expect((await platform.ok(['status'])).stdout).toMatch(/Schedule:\s+every 6h, keep 1/);
  });

  it('captures, lists and downloads a pg_dump of the add-on', async () => {
    const captured = await platform.ok(['pg:backups:capture', '-a', 'shop', '--json']);
    const backup = JSON.parse(captured.stdout) as { id: string; addon: string; bytes: number };
    expect(backup.addon).toMatch(/^postgres-/);
    const listed = JSON.parse((await platform.ok(['pg:backups', '-a', 'shop', '--json'])).stdout) as { id: string; bytes: number }[];
    expect(listed.map((b) => b.id)).toEqual([backup.id]);
    const file = join(scratch, 'shop.dump');
    await platform.ok(['pg:backups:download', backup.id, '-a', 'shop', '--to', file]);
    expect(statSync(file).size).toBe(backup.bytes);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    const audit = (await platform.ok(['audit', '-a', 'shop', '--json'])).stdout;
    expect(audit).toContain('capturePgBackup');
  });

  it('restores the newest backup over changed data, only when confirmed with the app name', async () => {
    await withClient(url, (client) => client.query("delete from guests where name = 'Ada'; insert into guests (name) values ('Mallory')"));
    expect(await names()).toEqual(['Grace', 'Mallory']);
    await platform.fails(['pg:backups:restore', '-a', 'shop'], 'BACKUP_RESTORE_UNCONFIRMED');
    await platform.fails(['pg:backups:restore', '-a', 'shop', '--confirm', 'other'], 'BACKUP_RESTORE_UNCONFIRMED');
    expect(await names()).toEqual(['Grace', 'Mallory']);
    const restored = await platform.ok(['pg:backups:restore', '-a', 'shop', '--confirm', 'shop']);
    expect(restored.stdout).toMatch(/Restored backup \S+ \(of postgres-\w+, .*\) into postgres-\w+\./);
    expect(await names()).toEqual(['Ada', 'Grace']);
    // The app's own role still owns what was restored: it writes on.
    await withClient(url, (client) => client.query("insert into guests (name) values ('Barbara')"));
    await platform.fails(['pg:backups:download', 'no-such-backup', '-a', 'shop', '--to', join(scratch, 'x')], 'BACKUP_NOT_FOUND');
  });
});
