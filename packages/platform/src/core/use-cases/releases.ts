import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { App, ConfigVars, Release } from '../model.js';
import type { RunTarget } from '../ports.js';
import { requireApp } from './require-app.js';
import { configWithAttachments } from './attachment-config.js';
import { platformEvent } from './platform-event.js';
import { runOneOffToEnd } from './release-phase.js';
import { runTargetFor, withDefaultQuantities } from './run-target.js';

export interface ReleaseSpec {
  slugId: string | null;
  buildId: string | null;
  config: ConfigVars;
  description: string;
  /** Keys of `config` that attachments set when it was made (a rollback's target); replaced by today's. */
  staleAddonVars?: string[];
  /** The git commit of the code (null or absent: none known). */
  commit?: string | null;
}

/** Decides the new release from the current one; runs under the app's lock, so it sees the latest. */
export type MakeRelease = (current: Release | undefined) => ReleaseSpec | null | Promise<ReleaseSpec | null>;

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
    const current = await currentRelease(deps, app);
    const spec = await make(current);
    if (!spec) return null;
    const { config, addonVars } = await configWithAttachments(deps, app, current, spec.config, spec.staleAddonVars);
    return createAndRollOut(deps, app, { ...spec, config }, addonVars, progress);
  });
}

async function createAndRollOut(deps: CoreDeps, app: App, spec: ReleaseSpec, addonVars: string[], progress: (line: string) => void): Promise<Release> {
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
    addonVars,
    commit: spec.commit ?? null,
  };
  await deps.store.insertRelease(release);
  platformEvent(deps, app.name, 'api', `Release v${version} created by admin: ${spec.description}`);

  const target = await runTargetFor(deps, app, release);
  if (target) {
    const manifest = spec.slugId ? (await deps.store.findSlug(spec.slugId))?.manifest : undefined;
    target.formation = withDefaultQuantities(target.formation, target.processTypes, manifest?.formation);
    await deps.store.setFormation(app.id, target.formation);
    await runReleasePhase(deps, app, target, progress);
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
    // Add-ons are not rolled back (Heroku): the release keeps today's attachments.
    staleAddonVars: target.addonVars ?? [],
    commit: target.commit,
  }));
  return release as Release;
}

async function previousGoodRelease(deps: CoreDeps, app: App, before: number): Promise<Release | undefined> {
  const releases = await deps.store.listReleases(app.id, 1000);
  return releases.find((r) => r.version < before && r.status === 'succeeded');
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
