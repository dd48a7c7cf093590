import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * The roles as processes (issue 19): artefacts (sources and slugs as archives, in 1 MiB chunks, so
 * that no role needs a shared disk) and the build job queue the builder role takes jobs from, with
 * the events (output lines, phases, warnings) the waiting api follows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = dialectOf(db) === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('artefacts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('artefact_chunks')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('artefact_chunks_key', ['name', 'seq'])
    .execute();
  await db.schema
    .createTable('build_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('heartbeat_at', 'bigint')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('build_jobs_state').on('build_jobs').columns(['state', 'created_at']).execute();
  await db.schema
    .createTable('build_job_events')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('build_job_events_key', ['job_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['build_job_events', 'build_jobs', 'artefact_chunks', 'artefacts']) await db.schema.dropTable(table).execute();
}
