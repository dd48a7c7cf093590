import { DozenError } from '@dozen/contracts/errors';
import { applyConfigChanges } from '../config-vars.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { ConfigVars, Principal } from '../model.js';
import type { Pipeline, ReviewSettings } from '../ports/pipelines-store.js';
import { DEFAULT_STALE_DAYS } from '../review-apps.js';
import { authorizePipeline, requirePipeline, stagedApps, type StagedAppRecord } from './pipelines.js';

/**
 * "The pipeline's repository": the git repository of its staging app, else of its development
 * app. Pushes of other branches than the deploy branch there make review apps (docs/decisions.md).
 */
export function repositoryApp(staged: StagedAppRecord[]): StagedAppRecord | undefined {
  return staged.find((s) => s.stage === 'staging') ?? staged.find((s) => s.stage === 'development');
}

/** `review-apps:enable`: on, or its settings changed; the review config is kept. */
export async function enableReviewApps(deps: ActingDeps, caller: Principal, name: string, input: { autodeploy?: boolean | undefined; staleDays?: number | undefined }): Promise<Pipeline> {
  const pipeline = await requirePipeline(deps, name);
  await authorizePipeline(deps, caller, pipeline);
  if (!repositoryApp(await stagedApps(deps, pipeline))) {
    throw new DozenError('REVIEW_APPS_NO_REPOSITORY', `The pipeline ${pipeline.name} has no staging or development app, whose repository review apps would come from.`);
  }
  const review: ReviewSettings = {
    autodeploy: input.autodeploy ?? pipeline.review?.autodeploy ?? false,
    staleDays: input.staleDays ?? pipeline.review?.staleDays ?? DEFAULT_STALE_DAYS,
    config: pipeline.review?.config ?? {},
  };
  await deps.store.setReviewSettings(pipeline.id, review);
  return { ...pipeline, review };
}

/** `review-apps:disable`: new branches make no review app; existing ones stay until their branch goes. */
export async function disableReviewApps(deps: ActingDeps, caller: Principal, name: string): Promise<Pipeline> {
  const pipeline = await requirePipeline(deps, name);
  await authorizePipeline(deps, caller, pipeline);
  await deps.store.setReviewSettings(pipeline.id, null);
  return { ...pipeline, review: null };
}

export async function reviewConfig(deps: CoreDeps, caller: Principal, name: string): Promise<ConfigVars> {
  const pipeline = await enabledPipeline(deps, caller, name);
  return pipeline.review.config;
}

/** Sets (string) and unsets (null) review config vars, checked like an app's. */
export async function updateReviewConfig(deps: CoreDeps, caller: Principal, name: string, changes: Record<string, string | null>): Promise<ConfigVars> {
  const pipeline = await enabledPipeline(deps, caller, name);
  const config = applyConfigChanges(pipeline.review.config, changes);
  await deps.store.setReviewSettings(pipeline.id, { ...pipeline.review, config });
  return config;
}

async function enabledPipeline(deps: CoreDeps, caller: Principal, name: string): Promise<Pipeline & { review: ReviewSettings }> {
  const pipeline = await requirePipeline(deps, name);
  await authorizePipeline(deps, caller, pipeline);
  if (pipeline.review === null) throw new DozenError('REVIEW_APPS_DISABLED', `Review apps of the pipeline ${pipeline.name} are not enabled.`);
  return pipeline as Pipeline & { review: ReviewSettings };
}
