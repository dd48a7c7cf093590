import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { create } from 'tar';
import { DozenError } from '@dozen/contracts/errors';
import type { BackupArchives, BackupInfo, BackupPlan } from '../core/ports/backups.js';
import { fsync, writeDurably } from './durable-files.js';
import { digestTree, linkTree } from './file-tree.js';
import { BACKUP_FORMAT, MANIFEST_NAME, type BackupManifest } from './manifest.js';

export interface BackupSources {
  /** The data dir's root, and its parts an archive takes files from. */
  root: string;
  slugs: string;
  cache: string;
  runtimes: string;
  /** Where the archives are (`<data dir>/backups`). */
  dir: string;
  platformVersion: string;
  /** Writes an online copy of the store to `dest`; answers its schema version. */
  copyStore(dest: string): Promise<{ schemaVersion: string }>;
  /** Writes the embedded add-ons' data into `dest` (laid out as the data dir). */
  addonData(dest: string): Promise<void>;
}

/** The name of the store in an archive (restore puts it where the store of the new platform is). */
export const STORE_ENTRY = 'dozen.db';

/**
 * Archives of the whole platform, `<dir>/<id>.tar.gz`, with `<id>.json` beside each (what
 * `dozen backups` lists). An archive is gathered in `.work-<id>/`, written as `<id>.tar.gz.partial`,
 * fsynced and only then renamed: a kill or a full disk on the way leaves no name that looks complete,
 * and the leftovers are removed at the next start or backup.
 */
export class BackupArchiveDir implements BackupArchives {
  constructor(private readonly sources: BackupSources) {}

  /** Removes what an interrupted backup left (called at platform start and before each backup). */
  async removeLeftovers(): Promise<void> {
    if (!existsSync(this.sources.dir)) return;
    for (const name of await readdir(this.sources.dir)) {
      const orphanInfo = name.endsWith('.json') && !existsSync(join(this.sources.dir, name.replace(/\.json$/, '.tar.gz')));
      if (name.startsWith('.work-') || name.endsWith('.partial') || orphanInfo) await rm(join(this.sources.dir, name), { recursive: true, force: true });
    }
  }

  async create(plan: BackupPlan): Promise<BackupInfo> {
    await mkdir(this.sources.dir, { recursive: true, mode: 0o700 });
    await this.removeLeftovers();
    const work = join(this.sources.dir, `.work-${plan.id}`);
    const partial = join(this.sources.dir, `${plan.id}.tar.gz.partial`);
    try {
      const manifest = await this.gather(plan, work);
      await writeFile(join(work, MANIFEST_NAME), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
      const rest = (await readdir(work)).filter((name) => name !== MANIFEST_NAME).sort();
      // The manifest first: a reader knows what follows before it reads it.
      await create({ gzip: true, file: partial, cwd: work, portable: true }, [MANIFEST_NAME, ...rest]);
      await fsync(partial);
      const bytes = (await stat(partial)).size;
      const info: BackupInfo = { id: plan.id, createdAt: plan.createdAt.toISOString(), bytes, scheduled: plan.scheduled, withCaches: plan.withCaches, apps: plan.apps.length };
      await writeDurably(join(this.sources.dir, `${plan.id}.json`), `${JSON.stringify(info)}\n`);
      await rename(partial, this.archivePath(plan.id));
      await fsync(this.sources.dir);
      return info;
    } catch (error) {
      await rm(partial, { force: true });
      throw failed(error, this.sources.dir);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async list(): Promise<BackupInfo[]> {
    if (!existsSync(this.sources.dir)) return [];
    const infos: BackupInfo[] = [];
    for (const name of await readdir(this.sources.dir)) {
      if (!name.endsWith('.json') || !existsSync(join(this.sources.dir, name.replace(/\.json$/, '.tar.gz')))) continue;
      infos.push(JSON.parse(await readFile(join(this.sources.dir, name), 'utf8')) as BackupInfo);
    }
    return infos.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async open(id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> } | undefined> {
    const file = this.archivePath(id);
    if (!existsSync(file) || !existsSync(join(this.sources.dir, `${id}.json`))) return undefined;
    return { bytes: (await stat(file)).size, stream: createReadStream(file) };
  }

  async remove(id: string): Promise<void> {
    await rm(this.archivePath(id), { force: true });
    await rm(join(this.sources.dir, `${id}.json`), { force: true });
  }

  private archivePath(id: string): string {
    return join(this.sources.dir, `${id}.tar.gz`);
  }

  /** Everything the archive holds, laid out as the data dir, and the manifest that lists it. */
  private async gather(plan: BackupPlan, work: string): Promise<BackupManifest> {
    await mkdir(work, { recursive: true, mode: 0o700 });
    const { schemaVersion } = await this.sources.copyStore(join(work, STORE_ENTRY));
    for (const app of plan.apps) {
      for (const slugId of app.slugIds) {
        const slug = join(this.sources.slugs, app.id, slugId);
        if (existsSync(slug)) await linkTree(slug, join(work, relative(this.sources.root, slug)));
      }
      const cache = join(this.sources.cache, app.id);
      if (plan.withCaches && existsSync(cache)) await linkTree(cache, join(work, relative(this.sources.root, cache)));
    }
    // Node.js versions the platform downloaded into the data dir (the host's own is not copied).
    for (const bin of plan.nodeBinDirs) {
      const inside = relative(this.sources.runtimes, bin);
      if (inside.startsWith('..') || inside === '' || !existsSync(bin)) continue;
      const top = join(this.sources.runtimes, inside.split('/')[0] as string);
      const target = join(work, relative(this.sources.root, top));
      if (!existsSync(target)) await linkTree(top, target);
    }
    await this.sources.addonData(work);
    return {
      format: BACKUP_FORMAT,
      id: plan.id,
      createdAt: plan.createdAt.toISOString(),
      platformVersion: this.sources.platformVersion,
      schemaVersion,
      scheduled: plan.scheduled,
      withCaches: plan.withCaches,
      apps: plan.apps.map((a) => ({ name: a.name, currentRelease: a.currentRelease, slugs: a.slugIds.length })),
      entries: await digestTree(work),
    };
  }
}

function failed(error: unknown, dir: string): DozenError {
  if (error instanceof DozenError) return error;
  const full = (error as NodeJS.ErrnoException).code === 'ENOSPC' || /\bENOSPC\b/.test((error as Error).message);
  const why = full ? `the disk is full (no space left for the archive in ${dir})` : (error as Error).message;
  return new DozenError('BACKUP_FAILED', `The backup failed: ${why}. No archive was kept.`, { cause: error });
}
