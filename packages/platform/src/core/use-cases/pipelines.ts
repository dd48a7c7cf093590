import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Permission, Principal } from '../model.js';
import { PIPELINE_STAGES, type Pipeline, type PipelineStage, type ReviewApp } from '../ports/pipelines-store.js';
import { authorizeApp, visibleApps } from './access.js';
import { requireApp } from './require-app.js';

/** Pipeline names: like app names, but short enough that `<pipeline>-pr-<branch>` keeps room for the branch. */
export const PIPELINE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,18}$/;

/** A pipeline's app with its stage, in stage order. */
export interface StagedAppRecord {
  app: App;
  stage: PipelineStage;
}

export interface PipelineView {
  pipeline: Pipeline;
  /** The apps the caller may view, by stage. */
  apps: StagedAppRecord[];
  /** How many of its apps the caller may not view (not named). */
  hidden: number;
  reviewApps: { app: App; review: ReviewApp }[];
}

export async function createPipeline(deps: ActingDeps, name: string): Promise<Pipeline> {
  if (!PIPELINE_NAME_PATTERN.test(name)) {
    throw new DozenError('PIPELINE_NAME_INVALID', `Pipeline name ${JSON.stringify(name.slice(0, 60))} is not valid: it must match ${PIPELINE_NAME_PATTERN.source}.`);
  }
  return deps.locks.run(`pipeline:${name}`, async () => {
    if (await deps.store.findPipeline(name)) throw new DozenError('PIPELINE_NAME_TAKEN', `A pipeline named ${name} already exists.`);
    const pipeline: Pipeline = { id: deps.ids.next(), name, createdAt: deps.clock.now().toISOString(), review: null };
    await deps.store.insertPipeline(pipeline);
    return pipeline;
  });
}

export async function requirePipeline(deps: Pick<CoreDeps, 'store'>, name: string): Promise<Pipeline> {
  const pipeline = PIPELINE_NAME_PATTERN.test(name) ? await deps.store.findPipeline(name) : undefined;
  if (!pipeline) throw new DozenError('PIPELINE_NOT_FOUND', `There is no pipeline named ${JSON.stringify(name.slice(0, 60))}.`);
  return pipeline;
}

/** The pipeline's apps with their stages, upstream first. */
export async function stagedApps(deps: Pick<CoreDeps, 'store'>, pipeline: Pipeline): Promise<StagedAppRecord[]> {
  const byId = new Map((await deps.store.listApps()).map((app) => [app.id, app]));
  const staged: StagedAppRecord[] = [];
  for (const entry of await deps.store.listPipelineApps(pipeline.id)) {
    const app = byId.get(entry.appId);
    if (app) staged.push({ app, stage: entry.stage });
  }
  const rank = (stage: PipelineStage) => PIPELINE_STAGES.indexOf(stage);
  return staged.sort((a, b) => rank(a.stage) - rank(b.stage) || a.app.name.localeCompare(b.app.name));
}

export async function viewPipeline(deps: CoreDeps, caller: Principal, pipeline: Pipeline): Promise<PipelineView> {
  const visible = new Set((await visibleApps(deps, caller)).map((app) => app.id));
  const staged = await stagedApps(deps, pipeline);
  const apps = staged.filter((s) => visible.has(s.app.id));
  const byId = new Map((await deps.store.listApps()).map((app) => [app.id, app]));
  const reviewApps = [];
  for (const review of await deps.store.listReviewApps(pipeline.id)) {
    const app = byId.get(review.appId);
    if (app && visible.has(app.id)) reviewApps.push({ app, review });
  }
  return { pipeline, apps, hidden: staged.length - apps.length, reviewApps };
}

export async function listPipelines(deps: CoreDeps, caller: Principal): Promise<PipelineView[]> {
  return Promise.all((await deps.store.listPipelines()).map((pipeline) => viewPipeline(deps, caller, pipeline)));
}

/** `pipelines:add`: the caller manages the app (the route's rule); an app is in one pipeline at most. */
export async function addPipelineApp(deps: ActingDeps, appName: string, pipelineName: string, stage: string): Promise<StagedAppRecord> {
  if (!(PIPELINE_STAGES as readonly string[]).includes(stage)) {
    throw new DozenError('PIPELINE_STAGE_INVALID', `${JSON.stringify(stage.slice(0, 40))} is not a pipeline stage: the stages are ${PIPELINE_STAGES.join(', ')}.`);
  }
  const app = await requireApp(deps, appName);
  const pipeline = await requirePipeline(deps, pipelineName);
  const current = await deps.store.findPipelineApp(app.id);
  if (current && current.pipelineId !== pipeline.id) {
    const other = await deps.store.findPipelineById(current.pipelineId);
    throw new DozenError('PIPELINE_APP_TAKEN', `${app.name} is already in the pipeline ${other?.name ?? current.pipelineId} (${current.stage}).`);
  }
  await deps.store.setPipelineApp({ pipelineId: pipeline.id, appId: app.id, stage: stage as PipelineStage });
  return { app, stage: stage as PipelineStage };
}

export async function removePipelineApp(deps: ActingDeps, appName: string): Promise<{ app: App; pipeline: Pipeline }> {
  const app = await requireApp(deps, appName);
  const entry = await deps.store.findPipelineApp(app.id);
  const pipeline = entry && (await deps.store.findPipelineById(entry.pipelineId));
  if (!entry || !pipeline) throw new DozenError('PIPELINE_APP_NOT_IN', `${app.name} is not in a pipeline.`);
  await deps.store.removePipelineApp(app.id);
  return { app, pipeline };
}

/**
 * Changing a pipeline as a whole (destroying it, its review apps' settings) needs the manage
 * permission on each of its apps: a pipeline of apps the caller cannot manage is not theirs to change.
 */
export async function authorizePipeline(deps: CoreDeps, caller: Principal, pipeline: Pipeline): Promise<void> {
  for (const { app } of await stagedApps(deps, pipeline)) await authorizeMember(deps, caller, pipeline, app.name, 'manage');
}

/**
 * `authorizeApp` for an app the pipeline names: one the caller may not view is refused without
 * its name (PERMISSION_DENIED, not "no such app": the pipeline has it).
 */
export async function authorizeMember(deps: CoreDeps, caller: Principal, pipeline: Pipeline, appName: string, needed: Permission): Promise<App> {
  try {
    return await authorizeApp(deps, caller, appName, needed);
  } catch (error) {
    if (!(error instanceof DozenError) || error.code !== 'APP_NOT_FOUND') throw error;
    throw new DozenError('PERMISSION_DENIED', `${caller.label} lacks the ${needed} permission on an app of the pipeline ${pipeline.name} that it may not view.`, { details: { permission: needed } });
  }
}

/** The pipeline goes; its apps stay (review apps included: they are apps like others). */
export async function destroyPipeline(deps: ActingDeps, caller: Principal, name: string): Promise<Pipeline> {
  const pipeline = await requirePipeline(deps, name);
  await authorizePipeline(deps, caller, pipeline);
  await deps.store.deletePipeline(pipeline.id);
  return pipeline;
}
