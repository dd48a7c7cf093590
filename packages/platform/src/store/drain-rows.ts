import type { Drain } from '../core/model.js';
import { openDrain, sealDrain, type Sealing } from './sealed-rows.js';

/** Drains as rows: the URL sealed, its keyed digest keeping (app, URL) unique. */
export async function insertDrain(s: Sealing, drain: Drain): Promise<void> {
  const { url, urlDigest } = await sealDrain(s, drain);
  await s.db.insertInto('drains').values({ id: drain.id, app_id: drain.appId, url, url_digest: urlDigest, created_at: drain.createdAt }).execute();
}

export async function listDrains(s: Sealing, appId: string): Promise<Drain[]> {
  const rows = await s.db.selectFrom('drains').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
  return Promise.all(rows.map((row) => openDrain(s, { id: row.id, appId: row.app_id, url: row.url, createdAt: row.created_at })));
}
