import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Release } from '../model.js';
import type { ReleaseChange, ReleasePlan } from '../release-plan.js';
import { requireApp } from './require-app.js';
import { planChange, release, type ReleaseOutcome } from './release-executor.js';

export async function currentRelease(deps: CoreDeps, app: App): Promise<Release | undefined> {
  return app.currentRelease === null ? undefined : deps.store.findRelease(app.id, app.currentRelease);
}

export async function listReleases(deps: CoreDeps, appName: string): Promise<{ app: App; releases: Release[] }> {
  const app = await requireApp(deps, appName);
  return { app, releases: await deps.store.listReleases(app.id, 100) };
}

/**
 * A new release with an earlier release's slug and config (Heroku semantics: history is kept,
 * nothing is rewritten). Without a version: the last good release before the current one.
 */
export async function rollback(deps: ActingDeps, appName: string, version: number | undefined): Promise<{ app: App; release: Release }> {
  const { app, change } = await rollbackChange(deps, appName, version);
  const outcome = await release(deps, app, change);
  return outcome as ReleaseOutcome & { release: Release };
}

/** What `rollback` would release and start, without doing it. */
export async function planRollback(deps: CoreDeps, appName: string, version: number | undefined): Promise<ReleasePlan> {
  const { app, change } = await rollbackChange(deps, appName, version);
  return (await planChange(deps, app, change)) as ReleasePlan;
}

async function rollbackChange(deps: CoreDeps, appName: string, version: number | undefined): Promise<{ app: App; change: ReleaseChange }> {
  const app = await requireApp(deps, appName);
  if (app.currentRelease === null) throw new DozenError('NO_RELEASE', `${appName} has no release to roll back from.`);
  const to = version === undefined ? await previousGoodRelease(deps, app, app.currentRelease) : await deps.store.findRelease(app.id, version);
  if (!to) {
    const what = version === undefined ? `no successful release before v${app.currentRelease}` : `no release v${version}`;
    throw new DozenError('RELEASE_NOT_FOUND', `${appName} has ${what}.`);
  }
  return { app, change: { kind: 'rollback', to } };
}

async function previousGoodRelease(deps: CoreDeps, app: App, before: number): Promise<Release | undefined> {
  const releases = await deps.store.listReleases(app.id, 1000);
  return releases.find((r) => r.version < before && r.status === 'succeeded');
}
