import { createHash } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import { PIPELINE_STAGES, type PipelineStage } from './ports/pipelines-store.js';
import type { Slug } from './model.js';

/** A pipeline's app as the promotion rules see it. */
export interface StagedApp {
  name: string;
  stage: PipelineStage;
}

/**
 * Where a promotion from `source` goes (Heroku): every app of the next stage that has apps, or,
 * with `to`, the apps named, each in the pipeline and at a later stage than the source.
 */
export function promotionTargets(pipeline: string, apps: StagedApp[], source: string, to?: string[]): string[] {
  const from = apps.find((a) => a.name === source);
  if (!from) throw new DozenError('PIPELINE_APP_NOT_IN', `${source} is not in the pipeline ${pipeline}.`);
  const rank = (stage: PipelineStage) => PIPELINE_STAGES.indexOf(stage);
  if (to !== undefined && to.length > 0) {
    for (const name of to) {
      const target = apps.find((a) => a.name === name);
      if (!target) {
        throw new DozenError('PROMOTE_TARGET_INVALID', `${name} is not in the pipeline ${pipeline}: a promotion from ${source} goes only to its downstream apps.`, {
          hint: `Add it first (\`dozen pipelines:add ${pipeline} -a ${name} --stage production\`), or see \`dozen pipelines:info ${pipeline}\`.`,
        });
      }
      if (rank(target.stage) <= rank(from.stage)) {
        throw new DozenError('PROMOTE_TARGET_INVALID', `${name} (${target.stage}) is not downstream of ${source} (${from.stage}) in the pipeline ${pipeline}.`, {
          hint: 'Promote only to a later stage: development -> staging -> production.',
        });
      }
    }
    return [...new Set(to)];
  }
  const next = PIPELINE_STAGES.slice(rank(from.stage) + 1).find((stage) => apps.some((a) => a.stage === stage));
  if (next === undefined) {
    throw new DozenError('PROMOTE_TARGET_INVALID', `${source} is at the last stage of the pipeline ${pipeline} (${from.stage}) that has apps: there is nothing downstream to promote to.`, {
      hint: `Add an app to a later stage (\`dozen pipelines:add ${pipeline} -a APP --stage production\`).`,
    });
  }
  return apps.filter((a) => a.stage === next).map((a) => a.name);
}

/**
 * A slug runs only where it was built for: its stack (slugs from before stacks were recorded count
 * as the platform's current one) must be the target's (the stack of its current slug, else the
 * platform's current one).
 */
export function assertSameStack(slug: Slug, source: string, target: { name: string; stack: string }, platformStack: string): void {
  const built = slug.runtime.stack ?? platformStack;
  if (built !== target.stack) {
    throw new DozenError('PROMOTE_STACK_MISMATCH', `The slug of ${source} was built for ${built}, but ${target.name} runs on ${target.stack}: it cannot be promoted there.`, {
      details: { slugStack: built, targetStack: target.stack },
    });
  }
}

/** The id of the target's copy of a promoted slug: the same slug promoted again to the same app is the same copy. */
export function promotedSlugId(targetAppId: string, sourceSlugId: string): string {
  return createHash('sha256').update(`promote\u0000${targetAppId}\u0000${sourceSlugId}`).digest('hex').slice(0, 32);
}
