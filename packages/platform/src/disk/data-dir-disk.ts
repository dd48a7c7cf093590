import { rm, statfs } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DataDirLayout } from '@dozen/contracts/node';
import type { DataDisk, DiskArea, DiskArtifacts, DiskInventory, DiskSpace, DiskUsage } from '../core/ports/data-disk.js';
import { childBytes, childNames, subdirectories, treeBytes } from './disk-walk.js';

/** A measurement is reused this long: `dozen status` twice in a row walks the data dir once. */
const USAGE_CACHE_MS = 10_000;

/** The data dir's disk (DataDisk): listings and removals by the layout, `du`-like usage, free space. */
export class DataDirDisk implements DataDisk {
  private cached: { at: number; usage: Promise<DiskUsage> } | null = null;

  constructor(
    private readonly layout: DataDirLayout,
    /** The SQLite store file (DATABASE_URL may put it outside the data dir). */
    private readonly storeFile: string,
  ) {}

  async inventory(): Promise<DiskInventory> {
    const { slugs, cache, runtimes, builds } = this.layout;
    const slugApps = await subdirectories(slugs);
    const slugDirs = [];
    for (const appId of slugApps) for (const slugId of await subdirectories(join(slugs, appId))) slugDirs.push({ appId, slugId });
    const appDirs = [...slugApps.map((appId) => ({ appId, area: 'slugs' as const })), ...(await subdirectories(cache)).map((appId) => ({ appId, area: 'cache' as const }))];
    const runtimeDirs = (await subdirectories(join(runtimes, 'node'))).map((name) => join(runtimes, 'node', name));
    return { slugs: slugDirs, appDirs, runtimes: runtimeDirs, builds: await subdirectories(builds) };
  }

  async remove(items: DiskArtifacts): Promise<void> {
    const { slugs, cache, runtimes, builds } = this.layout;
    const paths = [
      ...items.slugs.map((s) => join(slugs, s.appId, s.slugId)),
      ...items.appDirs.map((d) => join(d.area === 'slugs' ? slugs : cache, d.appId)),
      // Runtimes only from their own directory: a path from elsewhere is ignored.
      ...items.runtimes.filter((dir) => dirname(dir) === join(runtimes, 'node')),
      ...items.builds.map((id) => join(builds, id)),
    ];
    for (const path of paths) {
      if (basename(path) === '' || basename(path).startsWith('.')) continue;
      await rm(path, { recursive: true, force: true });
    }
    this.cached = null;
  }

  usage(): Promise<DiskUsage> {
    const now = Date.now();
    if (this.cached === null || now - this.cached.at > USAGE_CACHE_MS) {
      const usage = this.measure();
      this.cached = { at: now, usage };
      usage.catch(() => (this.cached = null));
    }
    return this.cached.usage;
  }

  async space(): Promise<DiskSpace> {
    const stats = await statfs(this.layout.root);
    return { path: this.layout.root, freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  }

  /**
   * One walk of the data dir: each top-level entry goes to its area; slugs, caches and logs are
   * walked app by app (an inode shared by two apps counts for the first, as `du` counts it once).
   */
  private async measure(): Promise<DiskUsage> {
    const seen = new Set<string>();
    const areas: Record<DiskArea, number> = { slugs: 0, caches: 0, runtimes: 0, logs: 0, builds: 0, addons: 0, backups: 0, store: 0, other: 0 };
    const storeFiles = [this.storeFile, `${this.storeFile}-wal`, `${this.storeFile}-shm`];
    for (const file of storeFiles) areas.store += await treeBytes(file, seen);
    const perApp = { slugs: {} as Record<string, number>, caches: {} as Record<string, number>, logs: {} as Record<string, number> };
    const root = await childNames(this.layout.root);
    areas.other += root.self(seen);
    for (const name of root.names) {
      const path = join(this.layout.root, name);
      const area = this.areaOf(path);
      if (area === 'slugs' || area === 'caches' || area === 'logs') {
        const byApp = await childBytes(path, seen);
        perApp[area] = byApp.children;
        areas[area] += byApp.self + Object.values(byApp.children).reduce((sum, bytes) => sum + bytes, 0);
      } else {
        areas[area] += await treeBytes(path, seen);
      }
    }
    const storeInside = storeFiles.some((f) => dirname(f) === this.layout.root);
    const total = Object.values(areas).reduce((sum, bytes) => sum + bytes, 0) - (storeInside ? 0 : areas.store);
    return { total, areas, appSlugs: perApp.slugs, appCaches: perApp.caches, appLogs: perApp.logs, measuredAt: new Date().toISOString() };
  }

  private areaOf(path: string): DiskArea {
    const l = this.layout;
    if (path === l.slugs) return 'slugs';
    if (path === l.cache) return 'caches';
    if (path === l.runtimes) return 'runtimes';
    if (path === l.logs) return 'logs';
    if (path === dirname(l.builds)) return 'builds';
    if (path === l.addons) return 'addons';
    if (path === join(l.root, 'backups')) return 'backups';
    return 'other';
  }
}
