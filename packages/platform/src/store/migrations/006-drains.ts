import type { Kysely } from 'kysely';

/** Log drains of an app (issue 6). The URL may hold credentials: it stays in the store. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('drains_app_url', ['app_id', 'url'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('drains').execute();
}
