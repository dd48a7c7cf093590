import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

/**
 * Kysely's CommonJS build, the one the store runs on. Its ES-module build is 263 modules, each with
 * its own module record: loaded that way Kysely holds about 3 MB more of the platform's memory for
 * as long as it runs (docs/decisions.md, "Idle memory"). Types still come from 'kysely' itself; every
 * value the store uses comes from here, so that only one of the two builds is ever loaded.
 */
const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const { Kysely, Migrator, SqliteDialect, sql } = kysely;
