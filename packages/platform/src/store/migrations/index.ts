import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';

/** Migrations are code, compiled with the platform: no file scanning at run time. */
export const migrations: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => ({
    '001-initial': initial,
  }),
};
