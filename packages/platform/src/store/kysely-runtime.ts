import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as KyselyModule from 'kysely';

/**
 * Kysely's CommonJS build, the one the store runs on: as one file (`dist/store/kysely.cjs`, made by
 * `npm run build` with scripts/bundle-kysely.js) when it is there, else from node_modules (the
 * sources under test, an install without rolldown). Its ES-module build is 263 modules and its
 * CommonJS build 263 files: each costs memory of its own for as long as the platform runs
 * (docs/decisions.md, "Idle memory"). Types still come from 'kysely' itself; every value the store
 * uses comes from here, so that only one build is ever loaded.
 */
const bundle = new URL('./kysely.cjs', import.meta.url);
const kysely = createRequire(import.meta.url)(existsSync(bundle) ? fileURLToPath(bundle) : 'kysely') as typeof KyselyModule;

export const { Kysely, Migrator, SqliteDialect, sql } = kysely;
