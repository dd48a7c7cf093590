import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import type { ValueSealer } from '../shared-ports/value-sealer.js';
import { checkDataKeys, ensureSentinel } from './data-key-rows.js';
import { Kysely, SqliteDialect } from './kysely-runtime.js';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import { sealPlaintext } from './seal-plaintext.js';
import { SecretFields } from './secret-fields.js';

export interface StoreSecrets {
  sealer: ValueSealer;
  /** Called once the store's data keys opened with the master keys, before anything is written. */
  keysAccepted?: () => void;
}

/**
 * Opens (creating if needed) the SQLite store, checks that the master keys open its data keys
 * (before any write: a refused start changes nothing), brings its schema up to date and seals
 * whatever is still plain text.
 */
export async function openSqliteStore(file: string, secrets: StoreSecrets): Promise<KyselyStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const database = new SQLite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const fields = new SecretFields(secrets.sealer);
  try {
    await checkDataKeys(db, fields);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  secrets.keysAccepted?.();
  // Owner only: the store holds every app's config (sealed, with its data keys). SQLite gives the
  // -wal and -shm files the mode of the database file, so this comes before WAL is switched on.
  if (file !== ':memory:') for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  // Deleted and overwritten content is zeroed in the pages, not left in free space.
  database.pragma('secure_delete = ON');
  // After a rotation the WAL would keep the old wrapped keys until its next checkpoint.
  const store = new KyselyStore(db, fields, false, () => database.pragma('wal_checkpoint(TRUNCATE)'));
  await store.migrate();
  const sealed = await store.transaction((tx) => sealPlaintext((tx as KyselyStore).kysely, fields));
  await ensureSentinel(db, fields);
  if (sealed > 0) scrubFreedPages(database);
  return store;
}

/**
 * After plain text was sealed: the database is rebuilt (VACUUM) and the WAL emptied on both sides,
 * so no page of the files still holds an old plain value.
 */
function scrubFreedPages(database: SQLite.Database): void {
  database.pragma('wal_checkpoint(TRUNCATE)');
  database.exec('VACUUM');
  database.pragma('wal_checkpoint(TRUNCATE)');
}
