import type { Kysely } from 'kysely';
import { sql } from '../kysely-runtime.js';

/** Builds (issue 3): buildpacks set per app, content digests and app.json of slugs, build phases. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_buildpacks')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_buildpacks_pk', ['app_id', 'position'])
    .execute();
  await db.schema.alterTable('slugs').addColumn('digest', 'text').execute();
  await db.schema.alterTable('slugs').addColumn('manifest', 'text', (c) => c.notNull().defaultTo(sql`'{"env":{},"formation":{},"postdeploy":null}'`)).execute();
  await db.schema.alterTable('builds').addColumn('phases', 'text').execute();
  await db.schema.alterTable('builds').addColumn('warnings', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('builds').dropColumn('warnings').execute();
  await db.schema.alterTable('builds').dropColumn('phases').execute();
  await db.schema.alterTable('slugs').dropColumn('manifest').execute();
  await db.schema.alterTable('slugs').dropColumn('digest').execute();
  await db.schema.dropTable('app_buildpacks').execute();
}
