import SQLite from 'better-sqlite3';
import type { Kysely as KyselyType, Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Kysely, Migrator, SqliteDialect } from './kysely-runtime.js';
import { migrateStepwise } from './migrate.js';
import { migrationNames, migrations } from './migrations/index.js';

/** Issue 15, versioned data: each migration a start runs is all or nothing. */
describe('store migrations', () => {
  it('are named NNN-topic, in order, with no gaps', () => {
    migrationNames.forEach((name, i) => expect(name).toMatch(new RegExp(`^${String(i + 1).padStart(3, '0')}-[a-z-]+$`)));
  });

  it('run one transaction each: a failing one leaves nothing of itself, the ones before it stay done', async () => {
    const database = new SQLite(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
    expect((await new Migrator({ db, provider: migrations }).migrateTo('014-acme')).error).toBeUndefined();
    const all = await migrations.getMigrations();
    // Half done when it fails: a table made, then an error.
    const broken: Migration = {
      up: async (trx: KyselyType<unknown>) => {
        await trx.schema.createTable('half_done').addColumn('id', 'text').execute();
        throw new Error('disk on fire');
      },
    };
    const provider = { getMigrations: async () => ({ ...all, '099-broken': broken }) };
    await expect(migrateStepwise(db, provider)).rejects.toThrow('store migration 099-broken failed: disk on fire');
    const applied = database.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[];
    expect(applied.map((r) => r.name).slice(-2)).toEqual(migrationNames.slice(-2));
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).not.toContain('half_done');
    const columns = database.prepare('PRAGMA table_info(slugs)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).toContain('collected_at');
    // Fixed, the same start goes on from there.
    await migrateStepwise(db, migrations);
    await db.destroy();
  });
});
