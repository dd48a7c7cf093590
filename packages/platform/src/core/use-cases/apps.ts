import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Formation, ProcessTypes } from '../model.js';
import { assertAppName } from '../names.js';
import { removeAppAddons } from './addons.js';
import { isFormationType } from '../procfile.js';
import { platformEvent } from './platform-event.js';
import { requireApp } from './require-app.js';

/** A new app, owned by the user `owner` (null: the platform admin). */
export async function createApp(deps: ActingDeps, name: string, owner: string | null = null): Promise<App> {
  assertAppName(name);
  return deps.locks.run(`app-name:${name}`, async () => {
    if (await deps.store.findApp(name)) throw new DozenError('APP_NAME_TAKEN', `An app named ${name} already exists.`);
    const app: App = { id: deps.ids.next(), name, createdAt: deps.clock.now().toISOString(), currentRelease: null };
    await deps.store.transaction(async (tx) => {
      await tx.insertApp(app);
      if (owner !== null) await tx.setAppOwner(app.id, owner);
    });
    deps.runtime.converge(name, null);
    platformEvent(deps, name, 'api', `App ${name} created by ${deps.actor}`);
    return app;
  });
}

export { requireApp } from './require-app.js';

export function listApps(deps: CoreDeps): Promise<App[]> {
  return deps.store.listApps();
}

export interface AppInfo {
  app: App;
  webUrl: string;
  formation: Formation;
  processTypes: ProcessTypes;
  processCount: number;
  slugSize: number | null;
}

export async function getAppInfo(deps: CoreDeps, name: string): Promise<AppInfo> {
  const app = await requireApp(deps, name);
  const release = app.currentRelease === null ? undefined : await deps.store.findRelease(app.id, app.currentRelease);
  const slug = release?.slugId ? await deps.store.findSlug(release.slugId) : undefined;
  return {
    app,
    webUrl: deps.settings.webUrl(name),
    formation: Object.fromEntries(Object.entries(await deps.store.getFormation(app.id)).filter(([type]) => isFormationType(type))),
    processTypes: slug?.processTypes ?? {},
    processCount: (await deps.runtime.list(name)).length,
    slugSize: slug?.sizeBytes ?? null,
  };
}

/** Stops every process, then deletes the app's artifacts, records and logs. */
export async function destroyApp(deps: ActingDeps, name: string, confirm: string | undefined): Promise<void> {
  const app = await requireApp(deps, name);
  if (confirm !== name) {
    throw new DozenError('APP_DESTROY_UNCONFIRMED', `Destroying ${name} needs confirmation: pass --confirm ${name}.`);
  }
  // First, while a failure still leaves the app as it was: its add-ons (other apps get releases).
  await removeAppAddons(deps, app);
  await deps.locks.run(app.id, async () => {
    await deps.runtime.remove(name);
    await deps.builder.removeApp(app);
    for (const drain of await deps.store.listDrains(app.id)) await deps.drains.stop(drain.id);
    await deps.git.removeRepository(app);
    await deps.store.deleteApp(app.id);
    deps.domainRoutes.setDomains(name, []);
    deps.domainRoutes.setMaintenance(name, false);
    deps.tlsRoutes.setCertificates(name, []);
    deps.tlsRoutes.setHttpsPolicy(name, null);
    deps.logs.forget(name);
  });
}
