import { errorCatalogue } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import { deployBranches, shortCommit } from '../git-refs.js';
import type { Failure } from '../model.js';
import type { OutputWriter } from '../ports/build.js';
import type { Push, PushVerdict } from '../ports/git.js';
import { planPush } from '../push-plan.js';
import { requireApp } from './apps.js';
import { createBuild, toFailure } from './builds.js';
import { platformEvent } from './platform-event.js';
import { currentRelease } from './releases.js';
import { pushReviewApps, reviewPipelineOf } from './review-pushes.js';

/**
 * The pre-receive step of a push: git waits for this answer before it updates any ref. A push
 * to the deploy branch goes through the same pipeline as `dozen deploy` (build -> slug ->
 * release -> rollout), with its output streamed to the pusher; the push is accepted only if
 * that succeeds, so the branch never points at code that is not what the app runs.
 */
export async function receivePush(deps: CoreDeps, push: Push): Promise<PushVerdict> {
  const { output } = push;
  try {
    const review = await reviewPipelineOf(deps, push.app);
    const plan = planPush(push.updates, deployBranches(await deps.store.getDeployBranch(push.app.id)), push.refs, review?.name ?? null);
    for (const note of plan.notes) output.line(`-----> ${note}`);
    const verdict = plan.deploy ? await deployCommit(deps, push, plan.deploy.branch, plan.deploy.commit) : { accepted: true };
    if (verdict.accepted && review && plan.reviews.length > 0) await pushReviewApps(deps, push, review, plan.reviews);
    return verdict;
  } catch (error) {
    const failure = toFailure(error);
    refuse(output, failure, true);
    platformEvent(deps, push.app.name, 'git', `Push rejected: ${failure.message}`);
    return { accepted: false };
  }
}

async function deployCommit(deps: CoreDeps, push: Push, branch: string, commit: string): Promise<PushVerdict> {
  const { output } = push;
  const app = await requireApp(deps, push.app.name);
  const current = await currentRelease(deps, app);
  if (current?.commit === commit && current.status === 'succeeded') {
    output.line(`-----> Commit ${shortCommit(commit)} is already deployed as v${current.version}: nothing to build.`);
    return { accepted: true };
  }
  output.line(`-----> Building ${app.name} from ${branch} (commit ${shortCommit(commit)})`);
  const { build, done } = await createBuild({ ...deps, actor: push.pusher }, app.name, push.archive(commit), { commit });
  const live = deps.buildOutputs.follow(build.id);
  if (live) for await (const chunk of live) output.line(chunk);
  const finished = await done;
  if (finished.status === 'succeeded') return { accepted: true };
  // The pipeline has already printed the failure's message with the build output.
  const failure = finished.error ?? toFailure(new Error(`the build ended as ${finished.status}`));
  const serving = (await requireApp(deps, app.name)).currentRelease;
  refuse(output, failure, false, serving === null ? 'nothing was deployed' : `v${serving} is still serving`);
  return { accepted: false };
}

/** Hints that speak of a push where the catalogue's speak of `dozen deploy` and archives. */
const PUSH_HINTS: Partial<Record<string, string>> = {
  SOURCE_INVALID: 'Fix what is named above in the repository (for example a symbolic link that points outside it), commit, and push again.',
  SOURCE_TOO_LARGE: 'Keep build output and dependencies out of the repository (.gitignore, `git rm --cached`), or raise the limit named above, then commit and push again.',
  BUILD_DETECT_FAILED: 'Commit a package.json (Node.js) or a Procfile at the top of the repository and push again.',
};

function refuse(output: OutputWriter, failure: Failure, withMessage: boolean, state = 'nothing was changed'): void {
  if (withMessage) output.line(` !     ${failure.message}`);
  const catalogue = (errorCatalogue as Record<string, { hint: string } | undefined>)[failure.code]?.hint;
  output.line(` !     ${failure.hint === catalogue ? (PUSH_HINTS[failure.code] ?? failure.hint) : failure.hint}`);
  output.line(` !     Push rejected (${failure.code}): ${state}.`);
}
