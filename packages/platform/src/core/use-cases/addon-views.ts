import type { CoreDeps } from '../deps.js';
import type { Addon } from '../model.js';
import { requireApp } from './require-app.js';

/** An add-on as users see it: app names instead of ids. */
export interface AddonView {
  addon: Addon;
  owner: string;
  attachments: { app: string; name: string; createdAt: string }[];
}

export async function addonView(deps: Pick<CoreDeps, 'store'>, addon: Addon): Promise<AddonView> {
  const names = new Map((await deps.store.listApps()).map((app) => [app.id, app.name]));
  const attachments = await deps.store.listAttachments({ addonId: addon.id });
  return {
    addon,
    owner: names.get(addon.appId) ?? addon.appId,
    attachments: attachments.map((a) => ({ app: names.get(a.appId) ?? a.appId, name: a.name, createdAt: a.createdAt })),
  };
}

/** `dozen addons [-a APP]`: every add-on, or those the app owns or has attached. */
export async function listAddons(deps: CoreDeps, appName: string | undefined): Promise<AddonView[]> {
  let addons = await deps.store.listAddons();
  if (appName !== undefined) {
    const app = await requireApp(deps, appName);
    const attached = new Set((await deps.store.listAttachments({ appId: app.id })).map((a) => a.addonId));
    addons = addons.filter((addon) => addon.appId === app.id || attached.has(addon.id));
  }
  return Promise.all(addons.map((addon) => addonView(deps, addon)));
}
