import type { Kysely } from 'kysely';
import { sql } from '../kysely-runtime.js';

/** How a slug runs: its Node.js and its health checks (JSON). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('slugs')
    .addColumn('runtime', 'text', (c) => c.notNull().defaultTo(sql`'{"nodeBinDir":null,"healthchecks":{}}'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slugs').dropColumn('runtime').execute();
}
