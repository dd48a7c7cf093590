import type { Kysely } from 'kysely';
import { PostgresAdapter } from './kysely-runtime.js';

/** Which SQL the store speaks: where the two must differ, the code asks this (and nothing else). */
export type StoreDialect = 'sqlite' | 'postgres';

export function dialectOf(db: Pick<Kysely<unknown>, 'getExecutor'>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
