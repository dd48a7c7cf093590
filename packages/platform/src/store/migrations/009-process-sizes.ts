import type { Kysely } from 'kysely';

/** Process sizes (issue 12): the size a process type runs at; null is the default size. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('process_settings').addColumn('size', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('process_settings').dropColumn('size').execute();
}
