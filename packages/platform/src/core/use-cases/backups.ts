import { DozenError } from '@dozen/contracts/errors';
import { describeSchedule } from '../backup-schedule.js';
import type { CoreDeps } from '../deps.js';
import type { BackupInfo, BackupPlan, LastBackup } from '../ports/backups.js';

import { ROLLBACK_WINDOW } from '../gc-plan.js';

export interface BackupStatus {
  schedule: string;
  keep: number;
  last: LastBackup | null;
  next: string | null;
}

/** `dozen backups:create` and the scheduler: one archive of the whole platform, one at a time. */
export async function createBackup(deps: CoreDeps, options: { withCaches: boolean; scheduled: boolean }): Promise<BackupInfo> {
  const { state, archives } = deps.backups;
  if (state.running) throw new DozenError('BACKUP_IN_PROGRESS', 'A backup is already running.');
  state.running = true;
  const createdAt = deps.clock.now();
  const id = backupId(createdAt, deps.ids.next());
  try {
    const info = await archives.create(await backupPlan(deps, id, createdAt, options));
    state.last = { id: info.id, at: info.createdAt, bytes: info.bytes, ok: true };
    if (options.scheduled) await pruneScheduled(deps);
    return info;
  } catch (error) {
    state.last = { id, at: createdAt.toISOString(), bytes: 0, ok: false, error: (error as Error).message };
    throw error;
  } finally {
    state.running = false;
  }
}

export function listBackups(deps: CoreDeps): Promise<BackupInfo[]> {
  return deps.backups.archives.list();
}

export async function openBackup(deps: CoreDeps, id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> }> {
  const opened = /^[a-z0-9-]{1,64}$/.test(id) ? await deps.backups.archives.open(id) : undefined;
  if (opened === undefined) throw new DozenError('BACKUP_NOT_FOUND', `There is no backup ${JSON.stringify(id)}.`);
  return opened;
}

/**
 * For `dozen status` (issue 15): the schedule, how many scheduled archives are kept, the last
 * backup (the newest archive when this process has made none) and the next scheduled one.
 */
export async function backupStatus(deps: CoreDeps): Promise<BackupStatus> {
  const { schedule, keep, state } = deps.backups;
  let last = state.last;
  if (last === null) {
    const newest = (await deps.backups.archives.list())[0];
    if (newest) last = { id: newest.id, at: newest.createdAt, bytes: newest.bytes, ok: true };
  }
  return { schedule: describeSchedule(schedule), keep, last, next: state.next?.toISOString() ?? null };
}

async function backupPlan(deps: CoreDeps, id: string, createdAt: Date, options: { withCaches: boolean; scheduled: boolean }): Promise<BackupPlan> {
  const apps: BackupPlan['apps'] = [];
  const nodeBinDirs = new Set<string>();
  for (const app of await deps.store.listApps()) {
    const slugIds = new Set<string>();
    const releases = await deps.store.listReleases(app.id, ROLLBACK_WINDOW);
    const current = app.currentRelease === null ? undefined : await deps.store.findRelease(app.id, app.currentRelease);
    for (const release of current ? [current, ...releases] : releases) if (release.slugId !== null) slugIds.add(release.slugId);
    for (const slugId of slugIds) {
      const dir = (await deps.store.findSlug(slugId))?.runtime.nodeBinDir;
      if (dir) nodeBinDirs.add(dir);
    }
    apps.push({ id: app.id, name: app.name, currentRelease: app.currentRelease, slugIds: [...slugIds] });
  }
  return { id, createdAt, ...options, apps, nodeBinDirs: [...nodeBinDirs] };
}

/** After a scheduled backup succeeded: scheduled archives beyond DOZEN_BACKUP_KEEP, oldest first, go. */
async function pruneScheduled(deps: CoreDeps): Promise<void> {
  const scheduled = (await deps.backups.archives.list()).filter((b) => b.scheduled);
  for (const old of scheduled.slice(deps.backups.keep)) await deps.backups.archives.remove(old.id);
}

/** `20260101-020000-ab12cd`: sorts by time, readable, one path segment. */
export function backupId(at: Date, unique: string): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `${stamp}-${unique.replace(/[^a-z0-9]/gi, '').slice(0, 6).toLowerCase()}`;
}
