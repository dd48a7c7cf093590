import type { CoreDeps } from '../deps.js';
import type { DiskArea } from '../ports/data-disk.js';
import { backupStatus, type BackupStatus } from './backups.js';

export interface AppDisk {
  app: string;
  slugs: number;
  cache: number;
  logs: number;
  total: number;
}

export interface PlatformStatusView {
  version: string;
  schema: string;
  /** The store DATABASE_URL selects. */
  store: 'sqlite' | 'postgres';
  dataDir: string;
  startedAt: string;
  uptimeSeconds: number;
  apps: number;
  disk: { total: number; areas: Record<DiskArea, number>; apps: AppDisk[]; measuredAt: string; freeBytes: number; sizeBytes: number };
  /** Backups: the schedule, the last one and the next. */
  backups: BackupStatus;
}

/** `dozen status`: what runs, on which data dir, since when, and what the data dir holds. */
export async function platformStatus(deps: CoreDeps): Promise<PlatformStatusView> {
  const [apps, usage, space] = await Promise.all([deps.store.listApps(), deps.disk.usage(), deps.disk.space()]);
  const perApp = apps.map((app) => {
    const slugs = usage.appSlugs[app.id] ?? 0;
    const cache = usage.appCaches[app.id] ?? 0;
    const logs = usage.appLogs[app.name] ?? 0;
    return { app: app.name, slugs, cache, logs, total: slugs + cache + logs };
  });
  const now = deps.clock.now();
  return {
    version: deps.platform.version,
    schema: deps.platform.schema(),
    store: deps.platform.store,
    dataDir: space.path,
    startedAt: deps.platform.startedAt.toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((now.getTime() - deps.platform.startedAt.getTime()) / 1000)),
    apps: apps.length,
    disk: { total: usage.total, areas: usage.areas, apps: perApp, measuredAt: usage.measuredAt, freeBytes: space.freeBytes, sizeBytes: space.totalBytes },
    backups: await backupStatus(deps),
  };
}
