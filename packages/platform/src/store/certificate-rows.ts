import type { Kysely, Selectable } from 'kysely';
import type { HttpsSettings, StoredCertificate } from '../core/ports/certificates-store.js';
import type { CertificatesTable, Database } from './schema.js';
import { certificateKeyName } from './secret-fields.js';
import type { Sealing } from './sealed-rows.js';

/** The certificates and app_https tables, to and from the model; a private key is sealed under its app's data key. */
export async function insertCertificate(s: Sealing, certificate: StoredCertificate): Promise<void> {
  await s.db.insertInto('certificates').values(await toRow(s, certificate)).execute();
}

export async function updateCertificate(s: Sealing, certificate: StoredCertificate): Promise<void> {
  const { id, app_id: _app, name: _name, created_at: _created, ...changes } = await toRow(s, certificate);
  await s.db.updateTable('certificates').set(changes).where('id', '=', id).execute();
}

export async function listCertificates(s: Sealing, appId?: string): Promise<StoredCertificate[]> {
  let query = s.db.selectFrom('certificates').selectAll().orderBy('app_id').orderBy('created_at');
  if (appId !== undefined) query = query.where('app_id', '=', appId);
  return Promise.all((await query.execute()).map((row) => fromRow(s, row)));
}

export async function getHttpsSettings(db: Kysely<Database>, appId: string): Promise<HttpsSettings | undefined> {
  const row = await db.selectFrom('app_https').selectAll().where('app_id', '=', appId).executeTakeFirst();
  return row && { mode: row.mode as HttpsSettings['mode'], hstsMaxAge: row.hsts_max_age };
}

export async function setHttpsSettings(db: Kysely<Database>, appId: string, settings: HttpsSettings): Promise<void> {
  await db.deleteFrom('app_https').where('app_id', '=', appId).execute();
  await db.insertInto('app_https').values({ app_id: appId, mode: settings.mode, hsts_max_age: settings.hstsMaxAge }).execute();
}

export async function listHttpsSettings(db: Kysely<Database>): Promise<Map<string, HttpsSettings>> {
  const rows = await db.selectFrom('app_https').selectAll().execute();
  return new Map(rows.map((row) => [row.app_id, { mode: row.mode as HttpsSettings['mode'], hstsMaxAge: row.hsts_max_age }]));
}

async function toRow(s: Sealing, c: StoredCertificate): Promise<CertificatesTable> {
  const privateKey = await s.fields.seal(s.db, c.appId, certificateKeyName(c.id), c.keyPem, s.cache);
  return {
    id: c.id, app_id: c.appId, name: c.name, source: c.source, chain_pem: c.chainPem, private_key: privateKey, names: JSON.stringify(c.names), subject: c.subject, issuer: c.issuer,
    not_before: c.notBefore, not_after: c.notAfter, fingerprint: c.fingerprint, chain_length: c.chainLength, created_at: c.createdAt, updated_at: c.updatedAt,
  };
}

async function fromRow(s: Sealing, row: Selectable<CertificatesTable>): Promise<StoredCertificate> {
  const keyPem = await s.fields.open(s.db, row.app_id, certificateKeyName(row.id), row.private_key, s.cache);
  return {
    id: row.id, appId: row.app_id, name: row.name, source: row.source as StoredCertificate['source'], chainPem: row.chain_pem, keyPem, names: JSON.parse(row.names) as string[],
    subject: row.subject, issuer: row.issuer, notBefore: row.not_before, notAfter: row.not_after, fingerprint: row.fingerprint, chainLength: row.chain_length, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
