import type { Pipeline } from '@dozen/contracts';
import { print, table } from '../../output.js';

/** A pipeline as `pipelines:info` prints it: apps by stage, review apps. */
export function printPipeline(pipeline: Pipeline): void {
  print(`=== ${pipeline.name}`);
  if (pipeline.apps.length === 0) print('No apps yet. Add one with `dozen pipelines:add ' + pipeline.name + ' -a APP --stage staging`.');
  else print(table(pipeline.apps.map((a) => [a.stage, a.app, a.release === null ? 'not deployed' : `v${a.release}`])));
  if (pipeline.hiddenApps > 0) print(`(${pipeline.hiddenApps} more app${pipeline.hiddenApps === 1 ? '' : 's'} you may not view)`);
  const review = pipeline.reviewApps;
  print();
  print(review.enabled ? `Review apps: enabled (autodeploy ${review.autodeploy ? 'on' : 'off'}, destroyed after ${review.staleDays} idle days)` : 'Review apps: disabled');
  if (pipeline.reviews.length > 0) print(table(pipeline.reviews.map((r) => [r.app, r.branch, r.url])));
}
