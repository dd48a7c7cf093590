import type { Kysely } from 'kysely';
import type { AcmeDomain } from '../core/ports/acme.js';
import type { Database } from './schema.js';
import { acmeAccountKeyName, PLATFORM_OWNER } from './secret-fields.js';
import type { Sealing } from './sealed-rows.js';

/** The acme_accounts, acme_apps and acme_domains tables; an account key is sealed under the platform's data key. */
export async function getAcmeAccountKey(s: Sealing, directory: string): Promise<string | undefined> {
  const sealed = (await s.db.selectFrom('acme_accounts').select('account_key').where('directory', '=', directory).executeTakeFirst())?.account_key;
  return sealed === undefined ? undefined : s.fields.open(s.db, PLATFORM_OWNER, acmeAccountKeyName(directory), sealed, s.cache);
}

export async function setAcmeAccountKey(s: Sealing, directory: string, keyPem: string): Promise<void> {
  const sealed = await s.fields.seal(s.db, PLATFORM_OWNER, acmeAccountKeyName(directory), keyPem, s.cache);
  await s.db.deleteFrom('acme_accounts').where('directory', '=', directory).execute();
  await s.db.insertInto('acme_accounts').values({ directory, account_key: sealed }).execute();
}

export async function listAcmeApps(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('acme_apps').select('app_id').orderBy('app_id').execute()).map((row) => row.app_id);
}

export async function setAcmeApp(db: Kysely<Database>, appId: string, enabled: boolean): Promise<void> {
  await db.deleteFrom('acme_apps').where('app_id', '=', appId).execute();
  if (enabled) await db.insertInto('acme_apps').values({ app_id: appId }).execute();
}

export async function listAcmeDomains(db: Kysely<Database>, appId?: string): Promise<AcmeDomain[]> {
  let query = db.selectFrom('acme_domains').selectAll().orderBy('app_id').orderBy('hostname');
  if (appId !== undefined) query = query.where('app_id', '=', appId);
  return (await query.execute()).map((row) => ({ appId: row.app_id, hostname: row.hostname, state: row.state as AcmeDomain['state'], reason: row.reason, nextAt: row.next_at, failures: row.failures }));
}

export async function putAcmeDomain(db: Kysely<Database>, d: AcmeDomain): Promise<void> {
  await db.deleteFrom('acme_domains').where('app_id', '=', d.appId).where('hostname', '=', d.hostname).execute();
  await db.insertInto('acme_domains').values({ app_id: d.appId, hostname: d.hostname, state: d.state, reason: d.reason, next_at: d.nextAt, failures: d.failures }).execute();
}

export async function deleteAcmeDomains(db: Kysely<Database>, appId: string, hostname?: string): Promise<void> {
  let query = db.deleteFrom('acme_domains').where('app_id', '=', appId);
  if (hostname !== undefined) query = query.where('hostname', '=', hostname);
  await query.execute();
}
