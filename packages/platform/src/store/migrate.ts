import type { Kysely, MigrationProvider } from 'kysely';

/** Kysely's own bookkeeping tables, as its Migrator makes them (so that either can read the other's). */
interface MigrationTables {
  kysely_migration: { name: string; timestamp: string };
  kysely_migration_lock: { id: string; is_locked: number };
}

/**
 * Brings the store to the latest migration, each migration in a transaction of its own together
 * with its row in `kysely_migration`: a failing one leaves nothing of itself (the ones before it
 * stay done and recorded), and the old data stays as it was. Kysely's Migrator runs SQLite
 * migrations outside any transaction (its SQLite adapter does not claim transactional DDL, which
 * SQLite has), so the loop is ours; the tables are the Migrator's.
 */
export async function migrateStepwise(database: Kysely<unknown>, provider: MigrationProvider): Promise<void> {
  const db = database as unknown as Kysely<MigrationTables>;
  await ensureTables(db);
  const done = new Set((await db.selectFrom('kysely_migration').select('name').execute()).map((r) => r.name));
  const all = await provider.getMigrations();
  for (const name of Object.keys(all).sort()) {
    if (done.has(name)) continue;
    const migration = all[name] as (typeof all)[string];
    try {
      await db.transaction().execute(async (trx) => {
        await migration.up(trx as unknown as Kysely<unknown>);
        await trx.insertInto('kysely_migration').values({ name, timestamp: new Date().toISOString() }).execute();
      });
    } catch (error) {
      throw new Error(`store migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

async function ensureTables(db: Kysely<MigrationTables>): Promise<void> {
  await db.schema
    .createTable('kysely_migration')
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('kysely_migration_lock')
    .ifNotExists()
    .addColumn('id', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('kysely_migration_lock').values({ id: 'migration_lock', is_locked: 0 }).onConflict((c) => c.doNothing()).execute();
}
