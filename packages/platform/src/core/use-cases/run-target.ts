import type { CoreDeps } from '../deps.js';
import type { App, AppUser, Formation, ProcessTypes, Release } from '../model.js';
import type { RunTarget } from '../ports.js';

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
    processTypes: slug.processTypes,
    formation: await deps.store.getFormation(app.id),
    runtime: slug.runtime,
    user: await appUser(deps, app),
    settings: await deps.store.getProcessSettings(app.id),
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

/**
 * Heroku's defaults for process types a release brings that the formation does not know yet:
 * one web process, none of the others, unless app.json `formation` gives a quantity.
 */
export function withDefaultQuantities(formation: Formation, processTypes: ProcessTypes, defaults: Formation = {}): Formation {
  const next = { ...formation };
  for (const type of Object.keys(processTypes)) {
    // `release` is the release phase: it never runs as a formation process.
    if (!Object.hasOwn(next, type)) next[type] = type === 'release' ? 0 : (defaults[type] ?? (type === 'web' ? 1 : 0));
  }
  return next;
}
