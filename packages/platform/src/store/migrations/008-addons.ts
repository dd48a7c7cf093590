import type { Kysely } from 'kysely';
import { sql } from '../kysely-runtime.js';

/** Add-ons, their attachments to apps, and which config vars of a release came from attachments. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('addons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('addons_app').on('addons').column('app_id').execute();

  await db.schema
    .createTable('addon_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('addon_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('addon_attachments_app_name', ['app_id', 'name'])
    .execute();
  await db.schema.createIndex('addon_attachments_addon').on('addon_attachments').column('addon_id').execute();

  await db.schema
    .alterTable('releases')
    .addColumn('addon_vars', 'text', (c) => c.notNull().defaultTo(sql`'[]'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('releases').dropColumn('addon_vars').execute();
  await db.schema.dropTable('addon_attachments').execute();
  await db.schema.dropTable('addons').execute();
}
