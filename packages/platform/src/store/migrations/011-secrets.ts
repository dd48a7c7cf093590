import type { Kysely } from 'kysely';
import { sql } from '../kysely-runtime.js';

/**
 * Secrets at rest (issue 13): data keys (one per app and the platform's sentinel), wrapped by a
 * master key. Drain URLs are sealed with a random IV, so `(app_id, url)` cannot stay unique:
 * `url_digest` (a keyed HMAC of the URL) takes its place. The table is rebuilt (SQLite cannot drop
 * a constraint); the digest starts as the drain's id and the start's sealing pass sets it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().unique())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('drains_sealed')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('url_digest', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('drains_app_url_digest', ['app_id', 'url_digest'])
    .execute();
  await sql`INSERT INTO drains_sealed (id, app_id, url, url_digest, created_at) SELECT id, app_id, url, id, created_at FROM drains`.execute(db);
  await db.schema.dropTable('drains').execute();
  await db.schema.alterTable('drains_sealed').renameTo('drains').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('data_keys').execute();
}
