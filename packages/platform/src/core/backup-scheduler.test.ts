import { describe, expect, it } from 'vitest';
import { BackupScheduler } from './backup-scheduler.js';
import type { CoreDeps } from './deps.js';
import type { BackupArchives, BackupInfo, BackupPlan } from './ports/backups.js';
import { backupStatus } from './use-cases/backups.js';
import { ManualClock } from '../test-support/manual-clock.js';

class MemoryArchives implements BackupArchives {
  made: BackupInfo[] = [];
  failNext = false;
  async create(plan: BackupPlan): Promise<BackupInfo> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the disk is full');
    }
    const info = { id: plan.id, createdAt: plan.createdAt.toISOString(), bytes: 100, scheduled: plan.scheduled, withCaches: plan.withCaches, apps: plan.apps.length };
    this.made.push(info);
    return info;
  }
  async list(): Promise<BackupInfo[]> {
    return [...this.made].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  async open() {
    return undefined;
  }
  async remove(id: string): Promise<void> {
    this.made = this.made.filter((b) => b.id !== id);
  }
}

function deps(clock: ManualClock, archives: MemoryArchives, keep: number): CoreDeps {
  let id = 0;
  return {
    clock,
    ids: { next: () => `id${id++}` },
    store: { listApps: async () => [] },
    backups: { archives, schedule: { kind: 'every', ms: 3_600_000 }, keep, state: { running: false, last: null, next: null } },
  } as unknown as CoreDeps;
}

describe('scheduled backups', () => {
  it('run on the clock every step, keep DOZEN_BACKUP_KEEP of them, and report the last and next one', async () => {
    const clock = new ManualClock();
    const archives = new MemoryArchives();
    const core = deps(clock, archives, 2);
    const scheduler = new BackupScheduler(core);
    await scheduler.start();
    await clock.advance(0);
    expect(archives.made).toHaveLength(1);
    await clock.advance(3 * 3_600_000);
    expect(archives.made.map((b) => b.createdAt)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    const status = await backupStatus(core);
    expect(status).toMatchObject({ schedule: 'every 1h', keep: 2, last: { ok: true, at: '2026-01-01T03:00:00.000Z' }, next: '2026-01-01T04:00:00.000Z' });
    scheduler.stop();
  });

  it('keep a failure as the last backup, delete nothing for it, and try again at the next step', async () => {
    const clock = new ManualClock();
    const archives = new MemoryArchives();
    const core = deps(clock, archives, 1);
    const scheduler = new BackupScheduler(core);
    await scheduler.start();
    await clock.advance(0);
    archives.failNext = true;
    await clock.advance(3_600_000);
    expect(archives.made).toHaveLength(1);
    expect((await backupStatus(core)).last).toMatchObject({ ok: false, error: 'the disk is full' });
    await clock.advance(3_600_000);
    expect(archives.made.map((b) => b.createdAt)).toEqual(['2026-01-01T02:00:00.000Z']);
    scheduler.stop();
  });

  it('leave manual backups alone when pruning', async () => {
    const clock = new ManualClock();
    const archives = new MemoryArchives();
    archives.made.push({ id: 'manual', createdAt: '2025-12-31T00:00:00.000Z', bytes: 1, scheduled: false, withCaches: false, apps: 0 });
    const core = deps(clock, archives, 1);
    const scheduler = new BackupScheduler(core);
    await scheduler.start();
    await clock.advance(2 * 3_600_000);
    expect(archives.made.map((b) => b.id).sort()).toEqual(['20260101-020000-id2', 'manual']);
    scheduler.stop();
  });
});
