import type { Kysely } from 'kysely';

/** Git pushes (issue 7): the commit of builds and releases, and each app's deploy branch. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('builds').addColumn('commit', 'text').execute();
  await db.schema.alterTable('releases').addColumn('commit', 'text').execute();
  await db.schema.alterTable('apps').addColumn('deploy_branch', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('deploy_branch').execute();
  await db.schema.alterTable('releases').dropColumn('commit').execute();
  await db.schema.alterTable('builds').dropColumn('commit').execute();
}
