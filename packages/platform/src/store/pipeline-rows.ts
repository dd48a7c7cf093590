import type { Selectable } from 'kysely';
import type { Pipeline, PipelineApp, PipelineStage, ReviewApp, ReviewSettings } from '../core/ports/pipelines-store.js';
import { deleteOwnerKey } from './data-key-rows.js';
import type { PipelinesTable } from './schema.js';
import type { Sealing } from './sealed-rows.js';

/** The pipelines, pipeline_apps and review_apps tables; review config values sealed under the pipeline's data key. */
export async function insertPipeline(s: Sealing, pipeline: Pipeline): Promise<void> {
  await s.db.insertInto('pipelines').values({ id: pipeline.id, name: pipeline.name, created_at: pipeline.createdAt, ...(await reviewColumns(s, pipeline.id, pipeline.review)) }).execute();
}

export async function findPipeline(s: Sealing, by: { name: string } | { id: string }): Promise<Pipeline | undefined> {
  const query = s.db.selectFrom('pipelines').selectAll();
  const row = await ('name' in by ? query.where('name', '=', by.name) : query.where('id', '=', by.id)).executeTakeFirst();
  return row && fromPipelineRow(s, row);
}

export async function listPipelines(s: Sealing): Promise<Pipeline[]> {
  const rows = await s.db.selectFrom('pipelines').selectAll().orderBy('name').execute();
  return Promise.all(rows.map((row) => fromPipelineRow(s, row)));
}

export async function deletePipeline(s: Sealing, id: string): Promise<void> {
  await s.db.deleteFrom('review_apps').where('pipeline_id', '=', id).execute();
  await s.db.deleteFrom('pipeline_apps').where('pipeline_id', '=', id).execute();
  await s.db.deleteFrom('pipelines').where('id', '=', id).execute();
  if (await deleteOwnerKey(s.db, id)) s.fields.forget(id);
}

export async function setReviewSettings(s: Sealing, pipelineId: string, review: ReviewSettings | null): Promise<void> {
  await s.db.updateTable('pipelines').set(await reviewColumns(s, pipelineId, review)).where('id', '=', pipelineId).execute();
}

export async function setPipelineApp(s: Sealing, entry: PipelineApp, now: string): Promise<void> {
  await s.db.deleteFrom('pipeline_apps').where('app_id', '=', entry.appId).execute();
  await s.db.insertInto('pipeline_apps').values({ app_id: entry.appId, pipeline_id: entry.pipelineId, stage: entry.stage, created_at: now }).execute();
}

export async function listPipelineApps(s: Sealing, pipelineId: string): Promise<PipelineApp[]> {
  const rows = await s.db.selectFrom('pipeline_apps').selectAll().where('pipeline_id', '=', pipelineId).orderBy('created_at').orderBy('app_id').execute();
  return rows.map((row) => ({ appId: row.app_id, pipelineId: row.pipeline_id, stage: row.stage as PipelineStage }));
}

export async function findPipelineApp(s: Sealing, appId: string): Promise<PipelineApp | undefined> {
  const row = await s.db.selectFrom('pipeline_apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
  return row && { appId: row.app_id, pipelineId: row.pipeline_id, stage: row.stage as PipelineStage };
}

export async function upsertReviewApp(s: Sealing, review: ReviewApp): Promise<void> {
  await s.db.deleteFrom('review_apps').where('app_id', '=', review.appId).execute();
  await s.db
    .insertInto('review_apps')
    .values({ app_id: review.appId, pipeline_id: review.pipelineId, branch: review.branch, created_at: review.createdAt, last_push_at: review.lastPushAt })
    .execute();
}

export async function listReviewApps(s: Sealing, filter: { pipelineId?: string; branch?: string }): Promise<ReviewApp[]> {
  let query = s.db.selectFrom('review_apps').selectAll();
  if (filter.pipelineId !== undefined) query = query.where('pipeline_id', '=', filter.pipelineId);
  if (filter.branch !== undefined) query = query.where('branch', '=', filter.branch);
  const rows = await query.orderBy('created_at').orderBy('app_id').execute();
  return rows.map((row) => ({ appId: row.app_id, pipelineId: row.pipeline_id, branch: row.branch, createdAt: row.created_at, lastPushAt: row.last_push_at }));
}

async function reviewColumns(s: Sealing, pipelineId: string, review: ReviewSettings | null): Promise<Omit<PipelinesTable, 'id' | 'name' | 'created_at'>> {
  if (review === null) return { review_enabled: 0, review_autodeploy: 0, review_stale_days: 5, review_config: '{}' };
  const config = await s.fields.sealConfig(s.db, pipelineId, review.config, s.cache);
  return { review_enabled: 1, review_autodeploy: review.autodeploy ? 1 : 0, review_stale_days: review.staleDays, review_config: JSON.stringify(config) };
}

async function fromPipelineRow(s: Sealing, row: Selectable<PipelinesTable>): Promise<Pipeline> {
  const review: ReviewSettings | null =
    row.review_enabled === 1
      ? { autodeploy: row.review_autodeploy === 1, staleDays: row.review_stale_days, config: await s.fields.openConfig(s.db, row.id, JSON.parse(row.review_config) as Record<string, string>, s.cache) }
      : null;
  return { id: row.id, name: row.name, createdAt: row.created_at, review };
}
