import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import { shortCommit } from '../git-refs.js';
import type { App, Slug } from '../model.js';
import type { OutputWriter } from '../ports/build.js';
import type { Push } from '../ports/git.js';
import type { Pipeline, ReviewSettings } from '../ports/pipelines-store.js';
import type { PushPlan } from '../push-plan.js';
import { createAddon } from './addons.js';
import { createApp, destroyApp } from './apps.js';
import { attachmentName } from './attachments.js';
import { createBuild } from './builds.js';
import { updateConfig } from './config-vars.js';
import { stagedApps } from './pipelines.js';
import { platformEvent } from './platform-event.js';
import { repositoryApp } from './review-settings.js';

export type ReviewPipeline = Pipeline & { review: ReviewSettings };

/** The pipeline whose review apps a push to `app` makes: `app` is its repository's and review apps are on. */
export async function reviewPipelineOf(deps: CoreDeps, app: App): Promise<ReviewPipeline | null> {
  const entry = await deps.store.findPipelineApp(app.id);
  const pipeline = entry && (await deps.store.findPipelineById(entry.pipelineId));
  if (!pipeline?.review) return null;
  return repositoryApp(await stagedApps(deps, pipeline))?.app.id === app.id ? (pipeline as ReviewPipeline) : null;
}

/**
 * The review apps of a push, in turn: a pushed branch creates (first push) or rebuilds (autodeploy)
 * its app from the pushed commit, a deleted branch destroys it. A failed review build is reported
 * and does not refuse the push (the branch is stored; the deploy branch is not affected).
 */
export async function pushReviewApps(deps: CoreDeps, push: Push, pipeline: ReviewPipeline, reviews: PushPlan['reviews']): Promise<void> {
  const acting: ActingDeps = { ...deps, actor: push.pusher };
  for (const review of reviews) {
    if (review.commit === null) await destroyReviewApp(acting, push.output, pipeline, review.branch);
    else await deployReviewApp(acting, push, pipeline, { ...review, commit: review.commit });
  }
}

async function deployReviewApp(deps: ActingDeps, push: Push, pipeline: ReviewPipeline, review: { branch: string; commit: string; app: string }): Promise<void> {
  const { output } = push;
  const now = deps.clock.now().toISOString();
  const known = await deps.store.findReviewApp(pipeline.id, review.branch);
  let app = known && (await deps.store.findApp(review.app));
  if (known && app && !pipeline.review.autodeploy) {
    await deps.store.upsertReviewApp({ ...known, lastPushAt: now });
    output.line(`-----> Stored branch ${review.branch} (${shortCommit(review.commit)}); review app ${app.name} not rebuilt: autodeploy is off (review-apps:enable --autodeploy).`);
    return;
  }
  if (!app) {
    if (await deps.store.findApp(review.app)) {
      throw new DozenError('APP_NAME_TAKEN', `The review app of branch ${review.branch} would be ${review.app}, but an app of that name exists and is not this branch's review app.`, { hint: 'Push the branch under another name, or destroy or rename that app.' });
    }
    app = await createApp(deps, review.app, await deps.store.appOwner(push.app.id));
    // Whoever may work on the repository's app may work on its review apps (Heroku: the pipeline's people).
    for (const row of await deps.store.listAppAccess(push.app.id)) await deps.store.putAppAccess(app.id, row.userId, row.permissions);
    output.line(`-----> Created review app ${app.name} for branch ${review.branch}`);
  }
  await deps.store.upsertReviewApp({ appId: app.id, pipelineId: pipeline.id, branch: review.branch, createdAt: known?.createdAt ?? now, lastPushAt: now });
  if (Object.keys(pipeline.review.config).length > 0) await updateConfig(deps, app.name, pipeline.review.config);
  output.line(`-----> Building review app ${app.name} from ${review.branch} (commit ${shortCommit(review.commit)})`);
  const target = app;
  const provision = (slug: Slug, out: OutputWriter) => provisionAddons(deps, target, slug, out);
  const { build, done } = await createBuild(deps, app.name, push.archive(review.commit), { commit: review.commit, review: { provision } });
  const live = deps.buildOutputs.follow(build.id);
  if (live) for await (const chunk of live) output.line(chunk);
  const finished = await done;
  if (finished.status === 'succeeded') output.line(`-----> Review app ${app.name} is up: ${deps.settings.webUrl(app.name)}`);
  else output.line(` !     Review app ${app.name} was not deployed: ${finished.error?.message ?? `the build ended as ${finished.status}`}`);
}

/** app.json `addons` a review app does not have yet: provisioned and attached (each its own release). */
async function provisionAddons(deps: ActingDeps, app: App, slug: Slug, output: OutputWriter): Promise<void> {
  const attached = new Set((await deps.store.listAttachments({ appId: app.id })).map((a) => a.name));
  for (const spec of slug.manifest?.addons ?? []) {
    const name = attachmentName(deps, spec.provider, spec.as);
    if (attached.has(name)) continue;
    const { view } = await createAddon(deps, app.name, { provider: spec.provider, plan: spec.plan, as: spec.as });
    attached.add(name);
    output.line(`-----> Provisioned ${view.addon.name} (${spec.provider}${spec.plan ? `:${spec.plan}` : ''}) as ${name} for the review app`);
  }
}

async function destroyReviewApp(deps: ActingDeps, output: OutputWriter, pipeline: Pipeline, branch: string): Promise<void> {
  const known = await deps.store.findReviewApp(pipeline.id, branch);
  const app = known && (await deps.store.listApps()).find((a) => a.id === known.appId);
  if (!known || !app) {
    output.line(`-----> Deleted branch ${branch}.`);
    return;
  }
  await destroyApp(deps, app.name, app.name);
  await deps.store.deleteReviewApp(app.id);
  output.line(`-----> Deleted branch ${branch}: its review app ${app.name} was destroyed.`);
}

/**
 * The daily check: review apps whose branch saw no push for the pipeline's stale days are
 * destroyed (their branch stays in the repository).
 */
export async function destroyStaleReviewApps(deps: ActingDeps, stale: { appId: string; branch: string }[]): Promise<string[]> {
  const destroyed: string[] = [];
  const byId = new Map((await deps.store.listApps()).map((app) => [app.id, app]));
  for (const review of stale) {
    const app = byId.get(review.appId);
    if (!app) {
      await deps.store.deleteReviewApp(review.appId);
      continue;
    }
    platformEvent(deps, app.name, 'api', `Review app ${app.name} (branch ${review.branch}) is destroyed: no push for its pipeline's stale days`);
    await destroyApp(deps, app.name, app.name);
    await deps.store.deleteReviewApp(app.id);
    destroyed.push(app.name);
  }
  return destroyed;
}
