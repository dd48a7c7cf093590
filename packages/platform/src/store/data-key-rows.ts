import type { Kysely } from 'kysely';
import type { DataKeyRecord } from '../shared-ports/value-sealer.js';
import type { Database } from './schema.js';
import { fromRow, PLATFORM_OWNER, type SecretFields } from './secret-fields.js';

/** Every data key re-wrapped by `rewrap` (rotation), in the caller's transaction. */
export async function rewrapDataKeys(db: Kysely<Database>, rewrap: (record: DataKeyRecord) => DataKeyRecord): Promise<{ total: number; rewrapped: number }> {
  const rows = await db.selectFrom('data_keys').selectAll().orderBy('id').execute();
  let rewrapped = 0;
  for (const row of rows) {
    const next = rewrap(fromRow(row));
    if (next.masterKeyId === row.master_key_id && next.wrapped === row.wrapped) continue;
    await db.updateTable('data_keys').set({ master_key_id: next.masterKeyId, wrapped: next.wrapped }).where('id', '=', row.id).execute();
    rewrapped += 1;
  }
  return { total: rows.length, rewrapped };
}

/**
 * Unwraps every data key: a missing or wrong master key throws here, before anything is written.
 * Nothing to check in a store older than secrets at rest (no `data_keys` table yet).
 */
export async function checkDataKeys(db: Kysely<Database>, fields: SecretFields): Promise<number> {
  const tables = await db.introspection.getTables();
  if (!tables.some((table) => table.name === 'data_keys')) return 0;
  const rows = await db.selectFrom('data_keys').selectAll().execute();
  for (const row of rows) fields.sealer.unwrap(fromRow(row));
  return rows.length;
}

/** The sentinel: a data key of the platform's own, so a wrong master key is caught even with no apps. */
export async function ensureSentinel(db: Kysely<Database>, fields: SecretFields): Promise<void> {
  await fields.keyFor(db, PLATFORM_OWNER, true);
}

/** Deletes an app's data key with the app (nothing it sealed remains), unless add-ons it owns are still recorded. */
export async function deleteOwnerKey(db: Kysely<Database>, appId: string): Promise<boolean> {
  const owned = await db.selectFrom('addons').select('id').where('app_id', '=', appId).executeTakeFirst();
  if (owned) return false;
  await db.deleteFrom('data_keys').where('owner_id', '=', appId).execute();
  return true;
}
