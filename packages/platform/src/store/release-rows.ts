import type { Release } from '../core/model.js';
import { sealRelease, type Sealing } from './sealed-rows.js';

/** A release as a row: its config values sealed, one by one (the names stay readable). */
export async function insertRelease(s: Sealing, plain: Release): Promise<void> {
  const release = await sealRelease(s, plain);
  await s.db
    .insertInto('releases')
    .values({
      id: release.id,
      app_id: release.appId,
      version: release.version,
      slug_id: release.slugId,
      build_id: release.buildId,
      config: JSON.stringify(release.config),
      description: release.description,
      status: release.status,
      failure: release.failure,
      created_at: release.createdAt,
      addon_vars: JSON.stringify(release.addonVars ?? []),
      commit: release.commit,
    })
    .execute();
}
