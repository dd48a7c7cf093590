import type { CoreDeps } from '../deps.js';
import type { App, AppUser, Release } from '../model.js';
import type { RunTarget } from '../ports/runtime.js';
import { withManifestSizes } from '../process-sizes.js';

/** The runtime's desired state for an app at a release: slug, config and formation. */
export async function runTargetFor(deps: CoreDeps, app: App, release: Release | undefined): Promise<RunTarget | null> {
  if (!release?.slugId) return null;
  const slug = await deps.store.findSlug(release.slugId);
  if (!slug) return null;
  return {
    app: app.name,
    appId: app.id,
    release: release.version,
    slugId: slug.id,
    config: release.config,
    addonVars: release.addonVars ?? [],
    processTypes: slug.processTypes,
    formation: await deps.store.getFormation(app.id),
    runtime: slug.runtime,
    user: await appUser(deps, app),
    settings: withManifestSizes(await deps.store.getProcessSettings(app.id), slug.manifest?.sizes),
  };
}

/** The app's own user: a uid of its own (allocated once, never reused) and a group of the same number. */
export async function appUser(deps: CoreDeps, app: App): Promise<AppUser> {
  const uid = await deps.store.appUid(app.id, deps.settings.appUidBase);
  return { uid, gid: uid };
}

export async function currentRunTarget(deps: CoreDeps, app: App): Promise<RunTarget | null> {
  if (app.currentRelease === null) return null;
  return runTargetFor(deps, app, await deps.store.findRelease(app.id, app.currentRelease));
}
