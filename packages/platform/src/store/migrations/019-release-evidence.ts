import type { Kysely } from 'kysely';

/**
 * The scorecard's runtime evidence (issue 18): what each process of a release showed (where it
 * listened, its boot and stop times, open log files...). One row per release, process and kind: a
 * newer measure replaces the older, so the table stays as small as the apps' formations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('release_evidence')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('release', 'integer', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_evidence_key', ['app_id', 'release', 'process', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('release_evidence').execute();
}
