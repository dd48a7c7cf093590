import SQLite from 'better-sqlite3';

/**
 * An online, consistent copy of the SQLite store (SQLite's backup API, on a connection of its
 * own: writers carry on), and the name of its last migration (the schema version of the copy).
 */
export async function copyStore(file: string, dest: string): Promise<{ schemaVersion: string }> {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await database.backup(dest);
  } finally {
    database.close();
  }
  return { schemaVersion: storeSchemaVersion(dest) };
}

/** The last migration a store file has run ('' when none). */
export function storeSchemaVersion(file: string): string {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const row = database.prepare('select max(name) as name from kysely_migration').get() as { name: string | null } | undefined;
    return row?.name ?? '';
  } finally {
    database.close();
  }
}
