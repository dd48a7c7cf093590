import type { Kysely, Selectable } from 'kysely';
import type { HttpsSettings, StoredCertificate } from '../core/ports/certificates-store.js';
import type { CertificatesTable, Database } from './schema.js';

/** The certificates and app_https tables, to and from the model. */
export async function insertCertificate(db: Kysely<Database>, certificate: StoredCertificate): Promise<void> {
  await db.insertInto('certificates').values(toRow(certificate)).execute();
}

export async function updateCertificate(db: Kysely<Database>, certificate: StoredCertificate): Promise<void> {
  const { id, app_id: _app, name: _name, created_at: _created, ...changes } = toRow(certificate);
  await db.updateTable('certificates').set(changes).where('id', '=', id).execute();
}

export async function listCertificates(db: Kysely<Database>, appId?: string): Promise<StoredCertificate[]> {
  let query = db.selectFrom('certificates').selectAll().orderBy('app_id').orderBy('created_at');
  if (appId !== undefined) query = query.where('app_id', '=', appId);
  return (await query.execute()).map(fromRow);
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

function toRow(c: StoredCertificate): CertificatesTable {
  return {
    id: c.id, app_id: c.appId, name: c.name, source: c.source, chain_pem: c.chainPem, private_key: c.keyPem, names: JSON.stringify(c.names), subject: c.subject, issuer: c.issuer,
    not_before: c.notBefore, not_after: c.notAfter, fingerprint: c.fingerprint, chain_length: c.chainLength, created_at: c.createdAt, updated_at: c.updatedAt,
  };
}

function fromRow(row: Selectable<CertificatesTable>): StoredCertificate {
  return {
    id: row.id, appId: row.app_id, name: row.name, source: row.source as StoredCertificate['source'], chainPem: row.chain_pem, keyPem: row.private_key, names: JSON.parse(row.names) as string[],
    subject: row.subject, issuer: row.issuer, notBefore: row.not_before, notAfter: row.not_after, fingerprint: row.fingerprint, chainLength: row.chain_length, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
