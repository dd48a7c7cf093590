import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { Addon, App, Release } from '../model.js';
import type { AddonProvider } from '../ports/addons.js';
import { addonView, type AddonView } from './addon-views.js';
import { requireApp } from './require-app.js';
import { attachmentName, attachmentOf, resolveAddon } from './attachments.js';
import { assertAttachmentNameFree } from '../release-plan.js';
import { platformEvent } from './platform-event.js';
import { release as releaseChange } from './release-executor.js';

export interface CreateAddonInput {
  provider: string;
  plan?: string | undefined;
  as?: string | undefined;
  url?: string | undefined;
}

/**
 * `addons:create PROVIDER[:PLAN] [--as NAME]`: provision, record, attach, release. Whatever fails
 * after the provider made the resource takes it back, so nothing is left half-made.
 */
export async function createAddon(deps: ActingDeps, appName: string, input: CreateAddonInput): Promise<{ view: AddonView; release: Release | null }> {
  const app = await requireApp(deps, appName);
  const provider = requireProvider(deps, input.provider);
  const plan = input.plan ?? (provider.plans[0] as string);
  if (!provider.plans.includes(plan)) {
    throw new DozenError('ADDON_PLAN_UNKNOWN', `${provider.name} has no plan ${JSON.stringify(plan)}; its plans are ${provider.plans.join(', ')}.`);
  }
  const name = attachmentName(deps, provider.name, input.as);
  // Checked before provisioning too, so that a taken name costs no database.
  const state = await deps.store.loadReleaseState(app.id, { slugId: null, uidBase: deps.settings.appUidBase });
  if (state) assertAttachmentNameFree(state, name);
  const id = deps.ids.next();
  const made = await provider.provision({ addonId: id, plan, ...(input.url === undefined ? {} : { url: input.url }) });
  const addon: Addon = { id, name: `${provider.name}-${id.replace(/[^a-z0-9]/gi, '').slice(-8).toLowerCase()}`, provider: provider.name, plan, appId: app.id, url: made.url, resource: made.resource, createdAt: deps.clock.now().toISOString() };
  try {
    await deps.store.insertAddon(addon);
    platformEvent(deps, app.name, 'api', `Add-on ${addon.name} (${provider.name}:${plan}) created by ${deps.actor}`);
    const { release } = await releaseChange(deps, app, attachmentOf(deps, app, addon, name));
    return { view: await addonView(deps, addon), release };
  } catch (error) {
    await deps.store.deleteAddon(addon.id).catch(() => undefined);
    await provider.deprovision(made.resource).catch((e: unknown) => platformEvent(deps, app.name, 'api', `Could not remove ${addon.name} after the failed create: ${(e as Error).message}`));
    throw error;
  }
}

export async function addonInfo(deps: CoreDeps, appName: string, ref: string): Promise<{ view: AddonView; details: Record<string, string> }> {
  const app = await requireApp(deps, appName);
  const addon = await resolveAddon(deps, app, ref);
  let details: Record<string, string>;
  try {
    details = await providerOf(deps, addon).info(addon.resource);
  } catch (error) {
    // The record is still worth showing when its server is down.
    details = { unavailable: (error as Error).message };
  }
  return { view: await addonView(deps, addon), details: { plan: addon.plan, ...details } };
}

/**
 * `addons:destroy ADDON -a OWNER --confirm OWNER`: detached from every app (a release each; one
 * that fails stops the destroy with the add-on intact), then deleted with its data.
 */
export async function destroyAddon(deps: ActingDeps, appName: string, ref: string, confirm: string | undefined): Promise<{ addon: Addon; releases: { app: App; release: Release }[] }> {
  const app = await requireApp(deps, appName);
  const addon = await resolveAddon(deps, app, ref);
  if (addon.appId !== app.id) {
    const owner = (await addonView(deps, addon)).owner;
    throw new DozenError('ADDON_OWNED_ELSEWHERE', `${addon.name} belongs to ${owner}; ${app.name} only has it attached.`);
  }
  if (confirm !== app.name) {
    throw new DozenError('ADDON_DESTROY_UNCONFIRMED', `Destroying ${addon.name} deletes its data for good: pass --confirm ${app.name}.`, { hint: `Run \`dozen addons:destroy ${addon.name} -a ${app.name} --confirm ${app.name}\`.` });
  }
  const releases = await detachEverywhere(deps, addon);
  await providerOf(deps, addon).deprovision(addon.resource);
  await deps.store.deleteAddon(addon.id);
  platformEvent(deps, app.name, 'api', `Add-on ${addon.name} destroyed by ${deps.actor}`);
  return { addon, releases };
}

/** New credentials, and a release for every app it is attached to (the URL changed). */
export async function rotateAddonCredentials(deps: ActingDeps, appName: string, ref: string): Promise<{ addon: Addon; releases: { app: App; release: Release }[] }> {
  const app = await requireApp(deps, appName);
  const addon = await resolveAddon(deps, app, ref);
  const made = await providerOf(deps, addon).rotateCredentials(addon.resource);
  await deps.store.updateAddonUrl(addon.id, made.url);
  // The old password is gone now: every attached app gets its release, even after one fails.
  const releases: { app: App; release: Release }[] = [];
  const failed: string[] = [];
  for (const target of await attachedApps(deps, addon)) {
    try {
      const { release } = await releaseChange(deps, target, { kind: 'refresh', description: `Rotate credentials of ${addon.name}` });
      if (release) releases.push({ app: target, release });
    } catch (error) {
      failed.push(`${target.name} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (failed.length > 0) {
    const done = releases.map((r) => `${r.app.name} v${r.release.version}`).join(', ') || 'none';
    throw new DozenError('ADDON_ROTATE_INCOMPLETE', `The credentials of ${addon.name} were rotated, but the release with the new URL failed for: ${failed.join('; ')}. Released: ${done}.`);
  }
  return { addon: { ...addon, url: made.url }, releases };
}

/** Before an app is destroyed: the add-ons it owns go (detached from other apps first), its own attachments too. */
export async function removeAppAddons(deps: ActingDeps, app: App): Promise<void> {
  for (const addon of await deps.store.listAddons(app.id)) {
    for (const attachment of await deps.store.listAttachments({ addonId: addon.id })) {
      if (attachment.appId === app.id) continue;
      const other = await appById(deps, attachment.appId);
      if (other) await releaseChange(deps, other, { kind: 'detach', attachment, description: `Detach ${addon.name} (${attachment.name}): ${app.name} was destroyed` });
    }
    await providerOf(deps, addon).deprovision(addon.resource);
    await deps.store.deleteAddon(addon.id);
  }
  for (const attachment of await deps.store.listAttachments({ appId: app.id })) await deps.store.deleteAttachment(attachment.id);
}

async function detachEverywhere(deps: ActingDeps, addon: Addon): Promise<{ app: App; release: Release }[]> {
  const releases: { app: App; release: Release }[] = [];
  for (const attachment of await deps.store.listAttachments({ addonId: addon.id })) {
    const target = await appById(deps, attachment.appId);
    if (!target) continue;
    const { release } = await releaseChange(deps, target, { kind: 'detach', attachment, description: `Detach ${addon.name} (${attachment.name})` });
    if (release) releases.push({ app: target, release });
  }
  return releases;
}

async function attachedApps(deps: CoreDeps, addon: Addon): Promise<App[]> {
  const ids = new Set((await deps.store.listAttachments({ addonId: addon.id })).map((a) => a.appId));
  return (await deps.store.listApps()).filter((app) => ids.has(app.id));
}

async function appById(deps: CoreDeps, appId: string): Promise<App | undefined> {
  return (await deps.store.listApps()).find((app) => app.id === appId);
}

function requireProvider(deps: CoreDeps, name: string): AddonProvider {
  const provider = deps.addons.get(name);
  if (!provider) throw new DozenError('ADDON_PROVIDER_UNKNOWN', `There is no add-on provider ${JSON.stringify(name)}; the providers are ${deps.addons.names().join(', ')}.`);
  return provider;
}

function providerOf(deps: CoreDeps, addon: Addon): AddonProvider {
  const provider = deps.addons.get(addon.provider);
  if (!provider) throw new DozenError('INTERNAL', `The add-on ${addon.name} has provider ${addon.provider}, which this platform does not have.`);
  return provider;
}
