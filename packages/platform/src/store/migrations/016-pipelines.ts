import type { Kysely } from 'kysely';

/**
 * Pipelines (issue 17): apps grouped by stage (development, staging, production), an app in at
 * most one; the pipeline's review-app settings (review config sealed under the pipeline's own
 * data key); the review apps made from pushed branches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('review_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_autodeploy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_stale_days', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('review_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('pipeline_apps')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pipeline_apps_pipeline').on('pipeline_apps').column('pipeline_id').execute();
  await db.schema
    .createTable('review_apps')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('branch', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_push_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('review_apps_branch', ['pipeline_id', 'branch'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['review_apps', 'pipeline_apps', 'pipelines']) await db.schema.dropTable(table).execute();
}
