import type { Slug } from '../core/model.js';
import { KyselyPipelinesStore } from './pipelines-store.js';
import { fromSlugRow } from './rows.js';

/**
 * Slugs on Kysely: stored once per content, never changed, except that garbage collection marks
 * those whose files it removed (`collected_at`). KyselyStore extends it.
 */
export abstract class KyselySlugsStore extends KyselyPipelinesStore {
  async insertSlug(slug: Slug): Promise<void> {
    await this.db
      .insertInto('slugs')
      .values({
        id: slug.id,
        app_id: slug.appId,
        build_id: slug.buildId,
        process_types: JSON.stringify(slug.processTypes),
        buildpack: slug.buildpack,
        size_bytes: slug.sizeBytes,
        runtime: JSON.stringify(slug.runtime),
        created_at: slug.createdAt,
        digest: slug.digest ?? null,
        manifest: JSON.stringify(slug.manifest ?? { env: {}, formation: {}, postdeploy: null }),
        collected_at: null,
      })
      .execute();
  }

  async findSlug(slugId: string): Promise<Slug | undefined> {
    const row = await this.db.selectFrom('slugs').selectAll().where('id', '=', slugId).executeTakeFirst();
    return row && fromSlugRow(row);
  }

  async listSlugs(): Promise<Slug[]> {
    const rows = await this.db.selectFrom('slugs').selectAll().orderBy('created_at').execute();
    return rows.map(fromSlugRow);
  }

  async markSlugsCollected(slugIds: string[], at: string | null): Promise<void> {
    if (slugIds.length === 0) return;
    await this.db.updateTable('slugs').set({ collected_at: at }).where('id', 'in', slugIds).execute();
  }
}
