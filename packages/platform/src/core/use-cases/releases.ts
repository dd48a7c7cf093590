import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { App, ConfigVars, Release } from '../model.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { runTargetFor, withDefaultQuantities } from './run-target.js';

export interface ReleaseSpec {
  slugId: string | null;
  buildId: string | null;
  config: ConfigVars;
  description: string;
  /** The git commit of the code (null or absent: none known). */
  commit?: string | null;
}

/** Decides the new release from the current one; runs under the app's lock, so it sees the latest. */
export type MakeRelease = (current: Release | undefined) => ReleaseSpec | null;

/**
 * The one path by which a release comes to serve: deploys, config changes and rollbacks all
 * create release vN here and roll it out. The release becomes current only once its processes
 * are up; a release that fails to boot is recorded as failed and the serving one stays.
 * Returns null when `make` decided there is nothing to release.
 */
export async function releaseAndRun(
  deps: CoreDeps,
  appName: string,
  make: MakeRelease,
  progress: (line: string) => void = () => undefined,
): Promise<Release | null> {
  const { id } = await requireApp(deps, appName);
  return deps.locks.run(id, async () => {
    const app = await requireApp(deps, appName);
    const spec = make(await currentRelease(deps, app));
    return spec ? createAndRollOut(deps, app, spec, progress) : null;
  });
}

async function createAndRollOut(deps: CoreDeps, app: App, spec: ReleaseSpec, progress: (line: string) => void): Promise<Release> {
  const version = (await deps.store.latestReleaseVersion(app.id)) + 1;
  const release: Release = {
    id: deps.ids.next(),
    appId: app.id,
    version,
    slugId: spec.slugId,
    buildId: spec.buildId,
    config: spec.config,
    description: spec.description,
    status: 'pending',
    failure: null,
    createdAt: deps.clock.now().toISOString(),
    commit: spec.commit ?? null,
  };
  await deps.store.insertRelease(release);
  platformEvent(deps, app.name, 'api', `Release v${version} created by admin: ${spec.description}`);

  const target = await runTargetFor(deps, app, release);
  if (target) {
    target.formation = withDefaultQuantities(target.formation, target.processTypes);
    await deps.store.setFormation(app.id, target.formation);
    progress(`Releasing v${version}...`);
    try {
      await deps.runtime.rollout(target, progress);
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      await deps.store.updateRelease(app.id, version, { status: 'failed', failure });
      platformEvent(deps, app.name, 'api', `Release v${version} failed: ${failure}`);
      throw withRelease(error, version);
    }
  }
  await deps.store.transaction(async (tx) => {
    await tx.updateRelease(app.id, version, { status: 'succeeded' });
    await tx.setCurrentRelease(app.id, version);
  });
  if (target) deps.runtime.converge(app.name, target);
  platformEvent(deps, app.name, 'api', `Release v${version} is now current`);
  return { ...release, status: 'succeeded' };
}

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
export async function rollback(deps: CoreDeps, appName: string, version: number | undefined): Promise<Release> {
  const app = await requireApp(deps, appName);
  if (app.currentRelease === null) throw new DozenError('NO_RELEASE', `${appName} has no release to roll back from.`);
  const target = version === undefined ? await previousGoodRelease(deps, app, app.currentRelease) : await deps.store.findRelease(app.id, version);
  if (!target) {
    const what = version === undefined ? `no successful release before v${app.currentRelease}` : `no release v${version}`;
    throw new DozenError('RELEASE_NOT_FOUND', `${appName} has ${what}.`);
  }
  const release = await releaseAndRun(deps, appName, () => ({
    slugId: target.slugId,
    buildId: target.buildId,
    config: target.config,
    description: `Rollback to v${target.version}`,
    commit: target.commit,
  }));
  return release as Release;
}

async function previousGoodRelease(deps: CoreDeps, app: App, before: number): Promise<Release | undefined> {
  const releases = await deps.store.listReleases(app.id, 1000);
  return releases.find((r) => r.version < before && r.status === 'succeeded');
}

/** Tags a rollout failure with the release it belongs to, so that the build can point at it. */
function withRelease(error: unknown, version: number): unknown {
  if (!(error instanceof DozenError)) return error;
  return new DozenError(error.code, error.message, { hint: error.hint, details: { release: version }, cause: error });
}
