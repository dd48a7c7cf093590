import type * as KyselyModule from 'kysely';
import { requireBundled } from '../bundled-dependency.js';

/**
 * Kysely's CommonJS build, the one the store runs on, as one bundled file when there is one. Its
 * ES-module build is 263 modules and its CommonJS build 263 files, each with memory of its own for
 * as long as the platform runs (docs/decisions.md, "Idle memory"). Types still come from 'kysely'
 * itself; every value the store uses comes from here, so that only one build is ever loaded.
 */
const kysely = requireBundled('kysely') as typeof KyselyModule;

export const { Kysely, Migrator, SqliteDialect, PostgresDialect, PostgresAdapter, sql } = kysely;
