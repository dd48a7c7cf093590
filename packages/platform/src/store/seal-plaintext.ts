import type { Kysely } from 'kysely';
import type { Addon } from '../core/model.js';
import type { Database } from './schema.js';
import { acmeAccountKeyName, addonFieldName, certificateKeyName, configName, drainUrlName, PLATFORM_OWNER, type SecretFields } from './secret-fields.js';
import { isSecretResourceField } from './sealed-rows.js';

/**
 * The start's sealing pass, level-triggered: whatever is still plain text (a data dir from before
 * secrets at rest, or a pass cut short) is sealed now, in the caller's transaction. Answers how
 * many values it sealed; the caller then rewrites the files so that the old pages are gone.
 */
export async function sealPlaintext(db: Kysely<Database>, fields: SecretFields): Promise<number> {
  const plain = (value: string) => fields.sealer.dataKeyIdOf(value) === null;
  let sealed = 0;
  for (const row of await db.selectFrom('releases').select(['id', 'app_id', 'config']).execute()) {
    const config = JSON.parse(row.config) as Record<string, string>;
    const names = Object.keys(config).filter((name) => plain(config[name] as string));
    if (names.length === 0) continue;
    for (const name of names) config[name] = await fields.seal(db, row.app_id, configName(name), config[name] as string, false);
    await db.updateTable('releases').set({ config: JSON.stringify(config) }).where('id', '=', row.id).execute();
    sealed += names.length;
  }
  for (const row of await db.selectFrom('addons').select(['id', 'app_id', 'url', 'resource']).execute()) {
    const resource = JSON.parse(row.resource) as Addon['resource'];
    const fieldsToSeal = Object.keys(resource).filter((field) => isSecretResourceField(field) && plain(resource[field] as string));
    for (const field of fieldsToSeal) resource[field] = await fields.seal(db, row.app_id, addonFieldName(row.id, field), resource[field] as string, false);
    const url = plain(row.url) ? await fields.seal(db, row.app_id, addonFieldName(row.id, 'url'), row.url, false) : row.url;
    if (url === row.url && fieldsToSeal.length === 0) continue;
    await db.updateTable('addons').set({ url, resource: JSON.stringify(resource) }).where('id', '=', row.id).execute();
    sealed += fieldsToSeal.length + (url === row.url ? 0 : 1);
  }
  for (const row of await db.selectFrom('drains').select(['id', 'app_id', 'url']).execute()) {
    if (!plain(row.url)) continue;
    const urlDigest = await fields.digest(db, row.app_id, row.url, false);
    const url = await fields.seal(db, row.app_id, drainUrlName(row.id), row.url, false);
    await db.updateTable('drains').set({ url, url_digest: urlDigest }).where('id', '=', row.id).execute();
    sealed += 1;
  }
  for (const row of await db.selectFrom('certificates').select(['id', 'app_id', 'private_key']).execute()) {
    if (!plain(row.private_key)) continue;
    const privateKey = await fields.seal(db, row.app_id, certificateKeyName(row.id), row.private_key, false);
    await db.updateTable('certificates').set({ private_key: privateKey }).where('id', '=', row.id).execute();
    sealed += 1;
  }
  for (const row of await db.selectFrom('acme_accounts').select(['directory', 'account_key']).execute()) {
    if (!plain(row.account_key)) continue;
    const accountKey = await fields.seal(db, PLATFORM_OWNER, acmeAccountKeyName(row.directory), row.account_key, false);
    await db.updateTable('acme_accounts').set({ account_key: accountKey }).where('directory', '=', row.directory).execute();
    sealed += 1;
  }
  return sealed;
}
