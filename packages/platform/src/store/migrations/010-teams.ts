import type { Kysely } from 'kysely';

/**
 * Teams (issue 13): users, collaborators, an owner per app (null: the platform admin, which is what
 * apps of existing data dirs get), and tokens that belong to a user and may be limited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('setup_code_hash', 'text')
    .addColumn('setup_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('app_access')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_access_pk', ['app_id', 'user_id'])
    .execute();
  await db.schema.alterTable('apps').addColumn('owner_id', 'text').execute();
  for (const column of ['user_id', 'app_id', 'permissions', 'expires_at', 'revoked_at', 'last_used_at']) {
    await db.schema.alterTable('tokens').addColumn(column, 'text').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['user_id', 'app_id', 'permissions', 'expires_at', 'revoked_at', 'last_used_at']) {
    await db.schema.alterTable('tokens').dropColumn(column).execute();
  }
  await db.schema.alterTable('apps').dropColumn('owner_id').execute();
  await db.schema.dropTable('app_access').execute();
  await db.schema.dropTable('users').execute();
}
