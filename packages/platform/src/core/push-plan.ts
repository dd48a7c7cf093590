import { DozenError } from '@dozen/contracts/errors';
import { isZeroCommit, parseRef, shortCommit } from './git-refs.js';
import type { RefUpdate } from './model.js';
import { reviewAppName } from './review-apps.js';

export interface PushPlan {
  /** The deploy branch update to build, if the push has one. */
  deploy: { branch: string; commit: string } | null;
  /** What happens to every other ref, in the pusher's words. */
  notes: string[];
  /** With review apps on: the other branches pushed (commit) or deleted (null), with their review app's name. */
  reviews: { branch: string; commit: string | null; app: string }[];
}

/**
 * Decides what a push does, before anything is built: every ref must be a valid branch or tag
 * that still is where the pusher saw it; at most one deploy branch may move, and not be deleted;
 * everything else is only stored.
 * With `reviewPipeline` (the repository of a pipeline with review apps on), every other branch
 * is a review app's: a branch whose name cannot make one refuses the push (REVIEW_BRANCH_INVALID).
 * Throws (GIT_REF_INVALID, GIT_PUSH_REJECTED) to refuse the whole push: git then stores nothing.
 */
export function planPush(updates: RefUpdate[], deployBranches: string[], refs: Record<string, string>, reviewPipeline: string | null = null): PushPlan {
  const notes: string[] = [];
  const reviews: PushPlan['reviews'] = [];
  const deploys: { branch: string; commit: string }[] = [];
  const deployText = deployBranches.join(' or ');
  for (const update of updates) {
    const ref = parseRef(update.ref);
    const now = refs[update.ref];
    if (now === undefined ? !isZeroCommit(update.oldCommit) : now !== update.oldCommit) {
      throw new DozenError('GIT_PUSH_STALE', `${ref.kind === 'branch' ? 'Branch' : 'Tag'} ${ref.name} was updated by another push while this one was on its way; nothing was changed.`);
    }
    const deleted = isZeroCommit(update.newCommit);
    const deploysHere = ref.kind === 'branch' && deployBranches.includes(ref.name);
    if (deploysHere && deleted) {
      throw new DozenError('GIT_PUSH_REJECTED', `Deleting the deploy branch ${ref.name} is refused: it holds the code the app deploys from.`);
    }
    if (deploysHere) {
      deploys.push({ branch: ref.name, commit: update.newCommit });
    } else if (ref.kind === 'branch' && reviewPipeline !== null && !(deleted && reviewAppNameOrNull(reviewPipeline, ref.name) === null)) {
      reviews.push({ branch: ref.name, commit: deleted ? null : update.newCommit, app: reviewAppName(reviewPipeline, ref.name) });
    } else if (deleted) {
      notes.push(`Deleted ${ref.kind} ${ref.name}.`);
    } else {
      notes.push(`Stored ${ref.kind} ${ref.name} (${shortCommit(update.newCommit)}), not deployed: pushes to ${deployText} deploy.`);
    }
  }
  if (deploys.length > 1) {
    const names = deploys.map((d) => d.branch).join(' and ');
    throw new DozenError('GIT_PUSH_REJECTED', `This push updates ${names} at once; only one deploy branch can be pushed at a time.`);
  }
  return { deploy: deploys[0] ?? null, notes, reviews };
}

/** A deleted branch whose name never could make a review app is only deleted. */
function reviewAppNameOrNull(pipeline: string, branch: string): string | null {
  try {
    return reviewAppName(pipeline, branch);
  } catch {
    return null;
  }
}
