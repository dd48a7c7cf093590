import type { Kysely } from 'kysely';

/**
 * The events between the roles as processes (issue 19): the members of the cluster, the apps' log
 * history and the live build output, in tables that every process of one PostgreSQL store reads
 * (docs/scale-out.md, "Events between the roles"). Created on SQLite too, where `dozen up` keeps
 * its logs in files and its build output in memory, so that both dialects have one schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cluster_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('backend_pid', 'integer', (c) => c.notNull())
    .addColumn('backend_start', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_log_apps')
    .addColumn('app', 'text', (c) => c.primaryKey())
    .addColumn('next_id', 'bigint', (c) => c.notNull())
    .addColumn('first_id', 'bigint', (c) => c.notNull())
    .addColumn('last_micros', 'bigint', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('dropped', 'bigint', (c) => c.notNull())
    .addColumn('dropped_by_process', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_log_lines')
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('id', 'bigint', (c) => c.notNull())
    .addColumn('time_micros', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('cluster_log_lines_key', ['app', 'id'])
    .execute();
  await db.schema
    .createTable('cluster_build_outputs')
    .addColumn('build_id', 'text', (c) => c.primaryKey())
    .addColumn('writer_pid', 'integer', (c) => c.notNull())
    .addColumn('writer_start', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createTable('cluster_build_output_lines')
    .addColumn('build_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cluster_build_output_lines_key', ['build_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cluster_build_output_lines', 'cluster_build_outputs', 'cluster_log_lines', 'cluster_log_apps', 'cluster_members']) {
    await db.schema.dropTable(table).execute();
  }
}
