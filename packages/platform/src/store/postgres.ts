import pg from 'pg';
import { ADVISORY_LOCKS } from './advisory-locks.js';
import { checkDataKeys, ensureSentinel } from './data-key-rows.js';
import { Kysely, PostgresDialect } from './kysely-runtime.js';
import { KyselyStore } from './kysely-store.js';
import { SessionConnection, storeUnreachable } from './pg-session-connection.js';
import type { Database } from './schema.js';
import { sealPlaintext } from './seal-plaintext.js';
import { SecretFields } from './secret-fields.js';
import type { StoreSecrets } from './sqlite.js';

/** Counts and sums (bigint) read as numbers, as SQLite gives them; only on the store's own pool. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/**
 * Opens the PostgreSQL store at `url` (DATABASE_URL): checks that the master keys open its data
 * keys (before any write), then, holding the migration lock on a session of its own, brings the
 * schema up to date and seals whatever is still plain text, so that several processes starting
 * together migrate once. The pool (queries, transactions) and that session are separate on
 * purpose (pg-session-connection.ts).
 */
export async function openPostgresStore(url: string, secrets: StoreSecrets): Promise<KyselyStore> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, application_name: 'dozen', connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const fields = new SecretFields(secrets.sealer);
  try {
    await checkDataKeys(db, fields).catch((error: unknown) => {
      throw storeUnreachable(url, error);
    });
    secrets.keysAccepted?.();
    const store = new KyselyStore(db, fields);
    await withMigrationLock(url, async () => {
      await store.migrate();
      await store.transaction((tx) => sealPlaintext((tx as KyselyStore).kysely, fields));
      await ensureSentinel(db, fields);
    });
    return store;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * Runs `fn` holding the migration lock, on a dedicated session connection (a session-level lock
 * must stay on the connection that took it), released after whatever happens. A process that dies
 * holding it loses it with its connection.
 */
export async function withMigrationLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const session = await SessionConnection.open(url, 'dozen-migrations');
  try {
    return await session.withLock(ADVISORY_LOCKS.migrations, fn);
  } finally {
    await session.close();
  }
}

/** The migrations a PostgreSQL store records as applied, read without changing it (empty: none yet). */
export async function appliedPostgresMigrations(url: string): Promise<string[]> {
  const session = await SessionConnection.open(url, 'dozen');
  try {
    const table = await session.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kysely_migration'");
    if (table.length === 0) return [];
    return (await session.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).map((row) => row.name);
  } finally {
    await session.close();
  }
}
