import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from './kysely-runtime.js';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';

/** Opens (creating if needed) the SQLite store and brings its schema up to date. */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const database = new SQLite(file);
  // Owner only: the store holds every app's config (credentials). SQLite gives the -wal and -shm
  // files the mode of the database file, so this comes before WAL is switched on.
  if (file !== ':memory:') for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  const store = new KyselyStore(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }));
  await store.migrate();
  return store;
}
