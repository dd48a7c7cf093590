import type { ConfigVars } from '../model.js';

/** Heroku's pipeline stages, upstream first: a promotion goes to the next stage. */
export const PIPELINE_STAGES = ['development', 'staging', 'production'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Review apps of a pipeline (`review-apps:enable`); absent: disabled. */
export interface ReviewSettings {
  /** Every push of a branch rebuilds its review app; off: only the first push (which creates it) builds. */
  autodeploy: boolean;
  /** A review app without a push for this many days is destroyed by the daily check. */
  staleDays: number;
  /** Config vars every review app of the pipeline gets (sealed at rest under the pipeline's key). */
  config: ConfigVars;
}

export interface Pipeline {
  id: string;
  name: string;
  createdAt: string;
  review: ReviewSettings | null;
}

export interface PipelineApp {
  pipelineId: string;
  appId: string;
  stage: PipelineStage;
}

/** An app made from a branch pushed to the pipeline's repository. */
export interface ReviewApp {
  appId: string;
  pipelineId: string;
  branch: string;
  createdAt: string;
  lastPushAt: string;
}

/** Pipelines, their apps by stage, their review apps. */
export interface PipelinesStore {
  insertPipeline(pipeline: Pipeline): Promise<void>;
  findPipeline(name: string): Promise<Pipeline | undefined>;
  findPipelineById(id: string): Promise<Pipeline | undefined>;
  listPipelines(): Promise<Pipeline[]>;
  /** The pipeline, its apps' stages and its review apps' rows (the apps themselves are not touched). */
  deletePipeline(id: string): Promise<void>;
  setReviewSettings(pipelineId: string, review: ReviewSettings | null): Promise<void>;
  /** Adds the app at a stage, or moves it to another stage of the same pipeline. */
  setPipelineApp(entry: PipelineApp): Promise<void>;
  removePipelineApp(appId: string): Promise<void>;
  listPipelineApps(pipelineId: string): Promise<PipelineApp[]>;
  findPipelineApp(appId: string): Promise<PipelineApp | undefined>;
  upsertReviewApp(review: ReviewApp): Promise<void>;
  /** Every review app (`pipelineId` given: that pipeline's). */
  listReviewApps(pipelineId?: string): Promise<ReviewApp[]>;
  findReviewApp(pipelineId: string, branch: string): Promise<ReviewApp | undefined>;
  deleteReviewApp(appId: string): Promise<void>;
}
