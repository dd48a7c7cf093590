import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Principal, Release, Slug } from '../model.js';
import { assertSameStack, promotedSlugId, promotionTargets } from '../promotion.js';
import { authorizeMember, stagedApps } from './pipelines.js';
import { release } from './release-executor.js';
import { currentRelease } from './releases.js';
import { requireApp } from './require-app.js';

export interface Promotion {
  app: App;
  release: Release;
  /** The target's copy of the slug: same digest as the source's. */
  slug: Slug;
}

export interface PromotionOutcome {
  pipeline: string;
  source: { app: App; release: Release; slug: Slug };
  promotions: Promotion[];
}

/**
 * `pipelines:promote`: the source's current slug released on each downstream app (or `to`) with
 * the target's own config and add-ons; nothing is built, the release phase runs on the target.
 * The caller needs deploy on every target (checked before anything changes). Targets are done in
 * turn; one that fails stops the promotion (the earlier ones stay promoted).
 */
export async function promote(deps: ActingDeps, caller: Principal, sourceName: string, to: string[] | undefined, progress: (line: string) => void): Promise<PromotionOutcome> {
  const source = await requireApp(deps, sourceName);
  const entry = await deps.store.findPipelineApp(source.id);
  const pipeline = entry && (await deps.store.findPipelineById(entry.pipelineId));
  if (!pipeline) throw new DozenError('PIPELINE_APP_NOT_IN', `${source.name} is not in a pipeline: there is nothing downstream to promote to.`);
  const staged = await stagedApps(deps, pipeline);
  const names = promotionTargets(pipeline.name, staged.map((s) => ({ name: s.app.name, stage: s.stage })), source.name, to);
  const targets: App[] = [];
  for (const name of names) targets.push(await authorizeMember(deps, caller, pipeline, name, 'deploy'));
  const { release: from, slug } = await sourceSlug(deps, source);
  for (const target of targets) assertSameStack(slug, source.name, { name: target.name, stack: await stackOf(deps, target) }, deps.settings.stack);
  const promotions: Promotion[] = [];
  for (const target of targets) {
    progress(`-----> Promoting ${source.name} v${from.version} to ${target.name}`);
    // In the target's build queue: its builds wait for it, and garbage collection leaves the copy be.
    const promotion = await deps.builds.run(target.id, async (): Promise<Promotion> => {
      const copy = await copyFor(deps, slug, target);
      const outcome = await release(deps, target, { kind: 'promote', slug: copy, from: { app: source.name, version: from.version, commit: from.commit } }, progress);
      if (!outcome.release) throw new Error(`promoting to ${target.name} made no release`);
      return { app: outcome.app, release: outcome.release, slug: copy };
    }, (why) => progress(`-----> Queued: ${why}`));
    promotions.push(promotion);
    const outcome = promotion;
    progress(`       ${target.name} is now at v${outcome.release.version}`);
  }
  return { pipeline: pipeline.name, source: { app: source, release: from, slug }, promotions };
}

async function sourceSlug(deps: CoreDeps, source: App): Promise<{ release: Release; slug: Slug }> {
  const from = await currentRelease(deps, source);
  const slug = from?.slugId ? await deps.store.findSlug(from.slugId) : undefined;
  if (!from || !slug) {
    throw new DozenError('PROMOTE_NO_RELEASE', `${source.name} has no deployed release${from ? ` (v${from.version} runs no slug)` : ''}: there is no slug to promote.`);
  }
  if (slug.collectedAt !== undefined) {
    throw new DozenError('SLUG_COLLECTED', `The slug ${slug.id} of ${source.name} v${from.version} was collected at ${slug.collectedAt}: it cannot be promoted.`, { hint: `Deploy ${source.name} again, then promote.` });
  }
  return { release: from, slug };
}

/** The stack a target runs on: its current slug's, else the platform's. */
async function stackOf(deps: CoreDeps, target: App): Promise<string> {
  const current = await currentRelease(deps, target);
  const slug = current?.slugId ? await deps.store.findSlug(current.slugId) : undefined;
  return slug?.runtime.stack ?? deps.settings.stack;
}

/**
 * The target's own copy of the slug (a slug's files belong to one app, whose user its processes
 * run as), checked to hold the same files; promoted again, the same copy is reused.
 */
async function copyFor(deps: CoreDeps, slug: Slug, target: App): Promise<Slug> {
  const id = promotedSlugId(target.id, slug.id);
  const copied = await deps.builder.copySlug({ appId: slug.appId, slugId: slug.id }, { appId: target.id, slugId: id });
  if (slug.digest !== undefined && copied.digest !== slug.digest) {
    throw new DozenError('INTERNAL', `The copy of slug ${slug.id} for ${target.name} does not hold the same files (sha256 ${copied.digest.slice(0, 12)}, not ${slug.digest.slice(0, 12)}).`);
  }
  const kept = await deps.store.findSlug(id);
  if (kept) {
    if (kept.collectedAt !== undefined) await deps.store.markSlugsCollected([id], null);
    const { collectedAt: _, ...restored } = kept;
    return restored;
  }
  const made: Slug = { ...slug, id, appId: target.id, createdAt: deps.clock.now().toISOString(), digest: copied.digest, sizeBytes: copied.sizeBytes };
  delete made.collectedAt;
  await deps.store.insertSlug(made);
  return made;
}
