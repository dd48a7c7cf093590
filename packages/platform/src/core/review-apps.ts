import { createHash } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { ReviewApp } from './ports/pipelines-store.js';

/** App names are at most 30 characters (names.ts): the review app name is cut to fit. */
const APP_NAME_MAX = 30;
/** `-` and five hex digits of the branch's hash, when the name had to be cut. */
const HASH_SUFFIX = 6;
/** The default of `review-apps:enable --stale-days` (Heroku's default is 5 days). */
export const DEFAULT_STALE_DAYS = 5;
const DAY_MS = 24 * 3600 * 1000;

/**
 * `<pipeline>-pr-<branch>`, the branch mapped to what an app name may hold: lower case, anything
 * outside [a-z0-9-] becomes `-`, runs of `-` collapse, `-` trimmed at both ends; cut to the 30
 * characters of an app name with a short hash of the branch when too long (two long branches
 * that share a beginning still get two apps). Nothing usable left: refused.
 */
export function reviewAppName(pipeline: string, branch: string): string {
  const prefix = `${pipeline}-pr-`;
  const mapped = branch
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (!/[a-z0-9]/.test(mapped)) {
    throw new DozenError('REVIEW_BRANCH_INVALID', `The branch ${JSON.stringify(branch)} cannot name a review app: mapped to app-name characters (a-z, 0-9, -) nothing is left.`, {
      details: { branch, mapped },
    });
  }
  const room = APP_NAME_MAX - prefix.length;
  if (mapped.length <= room) return prefix + mapped;
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, HASH_SUFFIX - 1);
  const kept = mapped.slice(0, room - HASH_SUFFIX).replace(/-+$/, '');
  return `${prefix}${kept}-${hash}`;
}

/** The review apps whose last push is at least `staleDays` days before `now`. */
export function staleReviewApps(reviews: ReviewApp[], staleDaysOf: (pipelineId: string) => number | null, now: Date): ReviewApp[] {
  return reviews.filter((review) => {
    const days = staleDaysOf(review.pipelineId);
    return days !== null && now.getTime() - Date.parse(review.lastPushAt) >= days * DAY_MS;
  });
}
