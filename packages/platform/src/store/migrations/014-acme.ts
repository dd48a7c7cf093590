import type { Kysely } from 'kysely';

/**
 * Automatic certificates (issue 14): the ACME account key per CA directory (`acme_accounts.account_key`,
 * its own column for the store's sealer), the apps that have them on, and each domain's state.
 * The certificates themselves are rows of `certificates` with source `acme`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('acme_accounts')
    .addColumn('directory', 'text', (c) => c.primaryKey())
    .addColumn('account_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('acme_apps').addColumn('app_id', 'text', (c) => c.primaryKey()).execute();
  await db.schema
    .createTable('acme_domains')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('next_at', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('acme_domains_pk', ['app_id', 'hostname'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['acme_domains', 'acme_apps', 'acme_accounts']) await db.schema.dropTable(table).execute();
}
