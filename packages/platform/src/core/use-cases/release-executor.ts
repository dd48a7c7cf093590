import { randomBytes } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Release } from '../model.js';
import type { ReleaseState } from '../ports/releases-store.js';
import type { RunTarget } from '../ports/runtime.js';
import { planRelease, type ReleaseChange, type ReleasePlan } from '../release-plan.js';
import { ROLLBACK_WINDOW } from '../gc-plan.js';
import { platformEvent } from './platform-event.js';
import { runOneOffToEnd } from './release-phase.js';
import { requiredCheckIds } from '../scorecard/required-checks.js';
import { enforcePolicy } from './scorecard.js';

export interface ReleaseOutcome {
  /** The app as it is after the change (its current release moved on when a release was made). */
  app: App;
  /** Null: the change left everything as it was. */
  release: Release | null;
}

/**
 * The one path by which a release comes to serve: deploys, config changes, add-on changes and
 * rollbacks are each a `ReleaseChange`. Under the app's lock the state is loaded once, the pure
 * plan decides the release (or that there is nothing to release), and `applyPlan` carries it out.
 */
export async function release(deps: ActingDeps, app: App, change: ReleaseChange, progress: (line: string) => void = () => undefined): Promise<ReleaseOutcome> {
  return deps.locks.run(app.id, async () => {
    const state = await loadState(deps, app, change);
    // A deploy whose required static checks fail stops here, before its release is made.
    if (change.kind === 'build') enforcePolicy(deps, state.app, state.requiredChecks ?? [], change.checks);
    const plan = planRelease(change, state, { secret: () => randomBytes(32).toString('hex') });
    if (!plan) return { app: state.app, release: null };
    const made = await applyPlan(deps, withRequiredChecks(plan, state.requiredChecks ?? []), progress);
    return { app: { ...state.app, currentRelease: made.version }, release: made };
  });
}

/** The same plan without doing it (`--dry-run`): with the steps the rollout would take. */
export async function planChange(deps: CoreDeps, app: App, change: ReleaseChange): Promise<ReleasePlan | null> {
  const state = await loadState(deps, app, change);
  return planRelease(change, state, { secret: () => '(a new secret)', observed: await deps.runtime.observe(app.name) });
}

async function loadState(deps: CoreDeps, app: App, change: ReleaseChange): Promise<ReleaseState> {
  const slugId = change.kind === 'build' || change.kind === 'promote' ? change.slug.id : change.kind === 'rollback' ? change.to.slugId : 'current';
  const state = await deps.store.loadReleaseState(app.id, { slugId, uidBase: deps.settings.appUidBase });
  if (!state) throw new DozenError('APP_NOT_FOUND', `There is no app named ${app.name}.`);
  if (change.kind === 'rollback' && state.slug?.collectedAt !== undefined) {
    const at = state.slug.collectedAt;
    throw new DozenError('SLUG_COLLECTED', `v${change.to.version} of ${app.name} is outside the rollback window: its slug ${state.slug.id} was collected at ${at} (an app keeps the slugs of its last ${ROLLBACK_WINDOW} releases and of the current one).`, {
      details: { release: change.to.version, slug: state.slug.id, collectedAt: at },
    });
  }
  return state;
}

/**
 * Creates release vN and rolls it out. The release becomes current only once its processes are
 * up; a release that fails to boot is recorded as failed and the serving one stays. An
 * attachment the change makes or removes is taken back when the release fails.
 */
async function applyPlan(deps: ActingDeps, plan: ReleasePlan, progress: (line: string) => void): Promise<Release> {
  const { app, target } = plan;
  const version = plan.release.version;
  const release: Release = { ...plan.release, id: deps.ids.next(), status: 'pending', failure: null, createdAt: deps.clock.now().toISOString() };
  await changeAttachment(deps, plan, 'do');
  try {
    await deps.store.insertRelease(release);
    platformEvent(deps, app.name, 'api', `${release.description} by ${deps.actor}`);
    platformEvent(deps, app.name, 'api', `Release v${version} created by ${deps.actor}`);
    if (target) await rollOut(deps, plan, target, progress);
    await deps.store.markReleaseCurrent(app.id, version);
  } catch (error) {
    await changeAttachment(deps, plan, 'undo').catch(() => undefined);
    throw error;
  }
  platformEvent(deps, app.name, 'api', `Release v${version} is now current`);
  deps.gc.kick();
  return { ...release, status: 'succeeded' };
}

async function rollOut(deps: CoreDeps, plan: ReleasePlan, target: RunTarget, progress: (line: string) => void): Promise<void> {
  const { app } = plan;
  if (plan.formation) await deps.store.setFormation(app.id, plan.formation);
  await runReleasePhase(deps, app, target, progress);
  progress(`Releasing v${target.release}...`);
  try {
    // Once up, the runtime keeps converging to this target: it is handed over once.
    await deps.runtime.rollout(target, progress);
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    await deps.store.updateRelease(app.id, target.release, { status: 'failed', failure });
    platformEvent(deps, app.name, 'api', `Release v${target.release} failed: ${failure}`);
    throw withRelease(error, target.release);
  }
}

/** The rollout's target with the checks the app's scorecard policy requires (the runtime reads them). */
function withRequiredChecks(plan: ReleasePlan, required: string[]): ReleasePlan {
  const ids = requiredCheckIds(required);
  return plan.target && ids.length > 0 ? { ...plan, target: { ...plan.target, requiredChecks: ids } } : plan;
}

async function changeAttachment(deps: CoreDeps, plan: ReleasePlan, direction: 'do' | 'undo'): Promise<void> {
  const change = plan.attachment;
  if (!change) return;
  const insert = 'insert' in change ? direction === 'do' : direction === 'undo';
  const attachment = 'insert' in change ? change.insert : change.delete;
  if (insert) await deps.store.insertAttachment(attachment);
  else await deps.store.deleteAttachment(attachment.id);
}

/**
 * The release phase (Heroku's): a Procfile `release` command runs as a one-off process of the new
 * release, with the env its processes will get, before it serves. Every release that has one runs
 * it: deploys, config changes, rollbacks. A failure or timeout fails the release; the current one
 * keeps serving.
 */
async function runReleasePhase(deps: CoreDeps, app: App, target: RunTarget, progress: (line: string) => void): Promise<void> {
  const command = target.processTypes.release;
  if (!command) return;
  const version = target.release;
  progress(`-----> Running release phase of v${version}: ${command}`);
  platformEvent(deps, app.name, 'api', `Release phase of v${version} started: ${command}`);
  const outcome = await runOneOffToEnd(deps, target, command, `release.${version}`, deps.settings.releasePhaseTimeoutMs, progress);
  if (outcome === null) {
    progress(`       Release phase of v${version} succeeded`);
    return;
  }
  const failure = `release phase ${outcome}`;
  await deps.store.updateRelease(app.id, version, { status: 'failed', failure });
  platformEvent(deps, app.name, 'api', `Release v${version} failed: ${failure}`);
  const serving = app.currentRelease === null ? 'nothing was serving before' : `v${app.currentRelease} is still serving`;
  throw withRelease(new DozenError('RELEASE_PHASE_FAILED', `Release v${version} failed: its release phase (\`${command}\`) ${outcome}; ${serving}.`), version);
}

/** Tags a rollout failure with the release it belongs to, so that the build can point at it. */
function withRelease(error: unknown, version: number): unknown {
  if (!(error instanceof DozenError)) return error;
  return new DozenError(error.code, error.message, { hint: error.hint, details: { release: version }, cause: error });
}
