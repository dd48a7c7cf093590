import { appliedSqliteMigrations, versionedOpen } from './data-version-file.js';
import type { KyselyStore } from './kysely-store.js';
import { openSqliteStore, type StoreSecrets } from './sqlite.js';

/** The store DATABASE_URL names (config.ts): the data dir's SQLite file, or a PostgreSQL database. */
export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/**
 * Opens the store of a data dir: refused before anything is written if a newer Dozen wrote the
 * data dir or the store, migrated, and the data dir's VERSION written after.
 */
export async function openConfiguredStore(location: StoreLocation, dataDir: string, platform: string, secrets: StoreSecrets): Promise<KyselyStore> {
  if (location.kind === 'postgres') {
    // Loaded only here: a platform on SQLite does not carry the `pg` driver (docs/decisions.md, "Idle memory").
    const { appliedPostgresMigrations, openPostgresStore } = await import('./postgres.js');
    const applied = await appliedPostgresMigrations(location.url);
    return versionedOpen(dataDir, applied, platform, () => openPostgresStore(location.url, secrets));
  }
  return versionedOpen(dataDir, appliedSqliteMigrations(location.file), platform, () => openSqliteStore(location.file, secrets));
}
