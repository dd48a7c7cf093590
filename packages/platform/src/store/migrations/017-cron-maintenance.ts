import type { Kysely } from 'kysely';

/**
 * Scheduled jobs and maintenance mode (issue 17): the jobs of each app (from `dozen cron:add` or
 * app.json `cron`), each run of them (skipped ones too), and the app's maintenance flag.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cron_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cron_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('process', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('cron_runs_app').on('cron_runs').columns(['app_id', 'started_at']).execute();
  await db.schema.alterTable('apps').addColumn('maintenance', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('maintenance').execute();
  await db.schema.dropTable('cron_runs').execute();
  await db.schema.dropTable('cron_jobs').execute();
}
