import { existsSync } from 'node:fs';
import { DozenError } from '@dozen/contracts/errors';
import { dataDirLayout, type DataDirLayout } from '@dozen/contracts/node';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { AddonRegistry } from './addons/addon-registry.js';
import { PgDumps } from './addons/providers/postgres/pg-dumps.js';
import { BackupArchiveDir } from './backups/backup-archives.js';
import { restoreArchive } from './backups/restore.js';
import type { BackupSchedule } from './core/backup-schedule.js';
import { BackupScheduler } from './core/backup-scheduler.js';
import type { CoreDeps } from './core/deps.js';
import type { BackupDeps } from './core/ports/backups.js';
import { SecretSealer } from './secrets/sealer.js';
import { loadKeyring } from './secrets/key-file.js';
import { migrations } from './store/migrations/index.js';
import { openSqliteStore } from './store/sqlite.js';
import { copyStore } from './store/store-copy.js';

/** The backups of a platform as main.ts holds them: the core's part, and their start and stop. */
export interface PlatformBackups {
  deps: BackupDeps;
  archives: BackupArchiveDir;
  /** After the apps are back: what a backup killed on its way left goes, the schedule starts. */
  start(core: CoreDeps): Promise<void>;
  stop(): void;
}

/** The backups of a platform (issue 15): archives of its data dir, their schedule and state. */
export function platformBackups(layout: DataDirLayout, store: { kind: 'sqlite' | 'postgres'; file: string }, addons: AddonRegistry, settings: { schedule: BackupSchedule; keep: number }): PlatformBackups {
  const archives = new BackupArchiveDir({
    root: layout.root,
    slugs: layout.slugs,
    cache: layout.cache,
    runtimes: layout.runtimes,
    dir: layout.backups,
    platformVersion: DOZEN_VERSION,
    copyStore: (dest) => (store.kind === 'postgres' ? Promise.reject(externalStore('`dozen backups:create` archives a SQLite store together with its data dir, and made no archive')) : copyStore(store.file, dest)),
    addonData: (dest) => addons.backupData(dest),
  });
  let scheduler: BackupScheduler | null = null;
  return {
    deps: { archives, addonDumps: new PgDumps(layout.addonBackups), schedule: settings.schedule, keep: settings.keep, state: { running: false, last: null, next: null } },
    archives,
    start: async (core) => {
      await archives.removeLeftovers();
      scheduler = new BackupScheduler(core);
      await scheduler.start();
    },
    stop: () => scheduler?.stop(),
  };
}

/**
 * An archive is the store and the data dir copied together, consistent: Dozen promises that for
 * its own SQLite file only. A PostgreSQL store is backed up with the server's tools (docs/scale-out.md).
 */
function externalStore(what: string): DozenError {
  return new DozenError('BACKUP_STORE_EXTERNAL', `This platform's store is PostgreSQL (DATABASE_URL): ${what}.`);
}

/** A platform refuses to start on a data dir whose restore did not finish (it would run half of it). */
export function assertNoRestoreInProgress(layout: DataDirLayout): void {
  if (existsSync(`${layout.root}/restore-in-progress`)) {
    throw new DozenError('RESTORE_FAILED', `A restore into ${layout.root} did not finish.`, { hint: 'Run the same `dozen backups:restore FILE` again (with the platform stopped): it starts over from the archive.' });
  }
}

/** `dozen backups:restore FILE`: the archive onto the empty data dir `layout`, with the master keys given. */
export async function restoreInto(archive: string, config: { dataDir: string; store: { kind: 'sqlite' | 'postgres'; file: string }; secretKeys: string[] | null }, say: (line: string) => void): Promise<{ id: string; apps: number }> {
  if (config.store.kind === 'postgres') throw externalStore('`dozen backups:restore` restores a SQLite store together with its data dir; nothing was changed');
  const { secretKeys } = config;
  const storeFile = config.store.file;
  const layout = dataDirLayout(config.dataDir);
  const keys = loadKeyring(secretKeys, layout.secretKey);
  if (secretKeys === null && !existsSync(layout.secretKey)) {
    throw new DozenError('SECRET_KEY_MISSING', `The archive holds no master key: set DOZEN_SECRET_KEY to the backed-up platform's key, or put its key file at ${layout.secretKey}, then restore. Nothing was changed.`);
  }
  const schemaVersion = Object.keys(await migrations.getMigrations()).sort().at(-1) ?? '';
  const manifest = await restoreArchive(
    archive,
    {
      root: layout.root,
      storeFile,
      keyFile: layout.secretKey,
      schemaVersion,
      checkKeys: async (file) => {
        // Opening checks the keys first (SECRET_KEY_MISSING / _WRONG), then brings the copy's schema up to date.
        const store = await openSqliteStore(file, { sealer: new SecretSealer(keys.keyring) });
        await store.close();
      },
      fixOwners: () => AddonRegistry.ownRestoredFiles(layout.addons),
    },
    say,
  );
  return { id: manifest.id, apps: manifest.apps.length };
}
