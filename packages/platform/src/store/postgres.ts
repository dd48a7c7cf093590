import pg from 'pg';
import { DozenError } from '@dozen/contracts/errors';
import { ADVISORY_LOCKS } from './advisory-locks.js';
import { checkDataKeys, ensureSentinel } from './data-key-rows.js';
import { Kysely, PostgresDialect } from './kysely-runtime.js';
import { KyselyStore } from './kysely-store.js';
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
 * purpose: a pooler in transaction mode (PgBouncer) breaks session features such as advisory
 * locks and LISTEN, which therefore always go on a dedicated connection (docs/scale-out.md).
 */
export async function openPostgresStore(url: string, secrets: StoreSecrets): Promise<KyselyStore> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, application_name: 'dozen', connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const fields = new SecretFields(secrets.sealer);
  try {
    await checkDataKeys(db, fields).catch((error: unknown) => {
      throw unreachable(url, error);
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
 * Runs `fn` holding the migration lock, taken on a dedicated session (not a pooled connection:
 * a session-level lock must stay on the connection that took it) and released after, whatever
 * happens. A process that dies holding it loses it with its connection.
 */
export async function withMigrationLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const session = new pg.Client({ connectionString: url, application_name: 'dozen-migrations', connectionTimeoutMillis: 10_000 });
  session.on('error', () => undefined);
  try {
    await session.connect();
  } catch (error) {
    await session.end().catch(() => undefined);
    throw unreachable(url, error);
  }
  try {
    await session.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations]);
    try {
      return await fn();
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrations]).catch(() => undefined);
    }
  } finally {
    await session.end().catch(() => undefined);
  }
}

/** The migrations a PostgreSQL store records as applied, read without changing it (empty: none yet). */
export async function appliedPostgresMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'dozen', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const table = await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kysely_migration'");
    if (table.rowCount === 0) return [];
    return (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((row) => row.name);
  } catch (error) {
    throw unreachable(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server refused or could not be reached: said with the URL's password masked. */
function unreachable(url: string, error: unknown): Error {
  if (error instanceof DozenError) return error;
  const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return new DozenError('STORE_UNREACHABLE', `The PostgreSQL store at DATABASE_URL=${shown} could not be used: ${(error as Error).message}.`, {
    hint: 'Check that the server runs and that the URL (host, port, database, user, password) is right; nothing was changed.',
    cause: error,
  });
}
