import type { Kysely } from 'kysely';

/**
 * Garbage collection (issue 15): a slug whose files were collected keeps its row (releases point at
 * it) with the time it went, so that a rollback to it is refused with SLUG_COLLECTED.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slugs').addColumn('collected_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slugs').dropColumn('collected_at').execute();
}
