import type { Kysely } from 'kysely';

/**
 * The process runtime's state: each app's own uid (rows outlive their app, so a uid is never
 * given to another app), and per process type settings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_uids')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('uid', 'integer', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('process_settings')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('grace_seconds', 'integer')
    .addColumn('boot_timeout_seconds', 'integer')
    .addColumn('strategy', 'text')
    .addPrimaryKeyConstraint('process_settings_pk', ['app_id', 'type'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('process_settings').execute();
  await db.schema.dropTable('app_uids').execute();
}
