import type { Kysely } from 'kysely';

/**
 * The twelve-factor scorecard (issue 18): a build keeps the results of its static checks (JSON
 * CheckResult[]; null: not scored), and an app the checks its deploys must pass (JSON string[]).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('builds').addColumn('checks', 'text').execute();
  await db.schema.alterTable('apps').addColumn('scorecard_required', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('builds').dropColumn('checks').execute();
  await db.schema.alterTable('apps').dropColumn('scorecard_required').execute();
}
