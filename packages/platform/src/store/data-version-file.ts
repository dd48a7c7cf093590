import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { DozenError } from '@dozen/contracts/errors';
import { checkDataVersion, type DataVersion } from '../core/data-version.js';
import { migrationNames } from './migrations/index.js';

/** `<data dir>/VERSION`: which schema and which Dozen wrote the data dir last. */
export function versionFile(dataDir: string): string {
  return join(dataDir, 'VERSION');
}

/** This platform's schema: the name of its last migration. */
export function currentSchema(): string {
  return migrationNames[migrationNames.length - 1] as string;
}

/**
 * Refuses, before anything is written, a data dir that a newer Dozen wrote: its VERSION file names
 * a later schema, or its store has migrations this platform does not have (DATA_DIR_NEWER).
 */
export function checkDataDir(dataDir: string, applied: string[], platform: string): void {
  checkDataVersion({ known: migrationNames, platform, dataDir, file: readVersionFile(dataDir), applied });
}

/**
 * Opens the store of a data dir (`applied`: the migrations its store records): refused first if a newer Dozen wrote it (nothing written yet),
 * and VERSION written once `open` (which migrates) succeeded.
 */
export async function versionedOpen<T>(dataDir: string, applied: string[], platform: string, open: () => Promise<T>): Promise<T> {
  checkDataDir(dataDir, applied, platform);
  const store = await open();
  writeVersionFile(dataDir, platform);
  return store;
}

/** Written after the migrations of each start (a temporary file renamed over the old one). */
export function writeVersionFile(dataDir: string, platform: string): DataVersion {
  const version: DataVersion = { schema: currentSchema(), platform };
  const file = versionFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(version)}\n`, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  return version;
}

function readVersionFile(dataDir: string): DataVersion | null {
  const file = versionFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataVersion>;
    if (typeof parsed.schema === 'string' && typeof parsed.platform === 'string') return { schema: parsed.schema, platform: parsed.platform };
  } catch {
    // Unreadable: said below.
  }
  throw new DozenError('DATA_DIR_NEWER', `The data dir's ${file} is not a version record this Dozen can read ({"schema": "NNN-name", "platform": "X.Y.Z"}).`, {
    hint: 'Run the Dozen that wrote this data dir, or restore the file from a backup; nothing was changed.',
  });
}

/** The migrations a SQLite store records as applied, read without changing it (empty: no store yet). */
export function appliedSqliteMigrations(storeFile: string): string[] {
  if (storeFile === ':memory:' || !existsSync(storeFile)) return [];
  const sidecars = [`${storeFile}-wal`, `${storeFile}-shm`].filter((path) => !existsSync(path));
  const database = new SQLite(storeFile, { readonly: true, fileMustExist: true });
  try {
    const table = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
    if (!table) return [];
    return (database.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((row) => row.name);
  } finally {
    database.close();
    // A read-only WAL reader makes empty -wal and -shm files: the ones that were not there go again.
    for (const path of sidecars) rmSync(path, { force: true });
  }
}
