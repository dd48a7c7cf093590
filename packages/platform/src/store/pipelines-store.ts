import type { Pipeline, PipelineApp, ReviewApp, ReviewSettings } from '../core/ports/pipelines-store.js';
import { KyselyHttpsStore } from './https-store.js';
import * as rows from './pipeline-rows.js';

/** Pipelines and review apps on Kysely (issue 17). KyselyStore extends it (through the slugs' store). */
export abstract class KyselyPipelinesStore extends KyselyHttpsStore {
  insertPipeline(pipeline: Pipeline): Promise<void> {
    return rows.insertPipeline(this.sealing, pipeline);
  }

  findPipeline(name: string): Promise<Pipeline | undefined> {
    return rows.findPipeline(this.sealing, { name });
  }

  findPipelineById(id: string): Promise<Pipeline | undefined> {
    return rows.findPipeline(this.sealing, { id });
  }

  listPipelines(): Promise<Pipeline[]> {
    return rows.listPipelines(this.sealing);
  }

  deletePipeline(id: string): Promise<void> {
    return rows.deletePipeline(this.sealing, id);
  }

  setReviewSettings(pipelineId: string, review: ReviewSettings | null): Promise<void> {
    return rows.setReviewSettings(this.sealing, pipelineId, review);
  }

  setPipelineApp(entry: PipelineApp): Promise<void> {
    return rows.setPipelineApp(this.sealing, entry, new Date().toISOString());
  }

  async removePipelineApp(appId: string): Promise<void> {
    await this.db.deleteFrom('pipeline_apps').where('app_id', '=', appId).execute();
  }

  listPipelineApps(pipelineId: string): Promise<PipelineApp[]> {
    return rows.listPipelineApps(this.sealing, pipelineId);
  }

  findPipelineApp(appId: string): Promise<PipelineApp | undefined> {
    return rows.findPipelineApp(this.sealing, appId);
  }

  upsertReviewApp(review: ReviewApp): Promise<void> {
    return rows.upsertReviewApp(this.sealing, review);
  }

  listReviewApps(pipelineId?: string): Promise<ReviewApp[]> {
    return rows.listReviewApps(this.sealing, pipelineId === undefined ? {} : { pipelineId });
  }

  async findReviewApp(pipelineId: string, branch: string): Promise<ReviewApp | undefined> {
    return (await rows.listReviewApps(this.sealing, { pipelineId, branch }))[0];
  }

  async deleteReviewApp(appId: string): Promise<void> {
    await this.db.deleteFrom('review_apps').where('app_id', '=', appId).execute();
  }
}
