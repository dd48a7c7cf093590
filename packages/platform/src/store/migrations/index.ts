import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as slugRuntime from './002-slug-runtime.js';
import * as git from './007-git.js';

/**
 * Migrations are code, compiled with the platform: no file scanning at run time. Names are
 * `NNN-topic`; they run in name order, once each.
 */
export const migrations: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => ({
    '001-initial': initial,
    '002-slug-runtime': slugRuntime,
    '007-git': git,
  }),
};
