import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { Addon, AddonAttachment, App, Release } from '../model.js';
import { CONFIG_KEY_PATTERN } from '../names.js';
import { requireApp } from './require-app.js';
import { addonView, type AddonView } from './addon-views.js';
import { releaseAndRun, type ReleaseSpec } from './releases.js';

/** `addons:attach ADDON -a APP [--as NAME]`: an existing add-on, attached to one more app. */
export async function attachAddon(deps: CoreDeps, appName: string, addonName: string, as: string | undefined): Promise<{ view: AddonView; release: Release | null }> {
  const app = await requireApp(deps, appName);
  const addon = await deps.store.findAddon(addonName);
  if (!addon) throw new DozenError('ADDON_NOT_FOUND', `There is no add-on named ${addonName}.`, { hint: 'Run `dozen addons` to list every add-on.' });
  const release = await attachAndRelease(deps, app, addon, attachmentName(deps, addon.provider, as));
  return { view: await addonView(deps, addon), release };
}

/** `addons:detach NAME -a APP`: the attachment goes, with its config var, in a new release. */
export async function detachAddon(deps: CoreDeps, appName: string, name: string): Promise<{ view: AddonView; release: Release | null }> {
  const app = await requireApp(deps, appName);
  const attachment = (await deps.store.listAttachments({ appId: app.id })).find((a) => a.name === name);
  if (!attachment) throw new DozenError('ADDON_NOT_FOUND', `${app.name} has no attachment named ${name}.`);
  const addon = (await deps.store.findAddonById(attachment.addonId)) as Addon;
  const release = await detachAndRelease(deps, app, attachment, `Detach ${addon.name} (${name})`);
  return { view: await addonView(deps, addon), release };
}

/**
 * Attaches under the app's lock and releases; if the release fails (its processes do not come
 * up), the attachment is taken back, so the app's add-ons and its serving config stay in step.
 */
export async function attachAndRelease(deps: CoreDeps, app: App, addon: Addon, name: string): Promise<Release | null> {
  const attachment: AddonAttachment = { id: deps.ids.next(), addonId: addon.id, appId: app.id, name, createdAt: deps.clock.now().toISOString() };
  let inserted = false;
  try {
    return await releaseAndRun(deps, app.name, async (current) => {
      await assertNameFree(deps, app, name, userKeys(current));
      await deps.store.insertAttachment(attachment);
      inserted = true;
      return sameRelease(current, `Attach ${addon.name} as ${name}`);
    });
  } catch (error) {
    if (inserted) await deps.store.deleteAttachment(attachment.id).catch(() => undefined);
    throw error;
  }
}

/** The reverse, with the same promise: a release that fails leaves the attachment in place. */
export async function detachAndRelease(deps: CoreDeps, app: App, attachment: AddonAttachment, description: string): Promise<Release | null> {
  let removed = false;
  try {
    return await releaseAndRun(deps, app.name, async (current) => {
      await deps.store.deleteAttachment(attachment.id);
      removed = true;
      return sameRelease(current, description);
    });
  } catch (error) {
    if (removed) await deps.store.insertAttachment(attachment).catch(() => undefined);
    throw error;
  }
}

/** The same slug and config: releaseAndRun applies the attachments as they now are. */
export function sameRelease(current: Release | undefined, description: string): ReleaseSpec {
  return { slugId: current?.slugId ?? null, buildId: current?.buildId ?? null, config: current?.config ?? {}, description };
}

/** The --as name, or the provider's default (DATABASE_URL); it must be a valid, unreserved env key. */
export function attachmentName(deps: CoreDeps, providerName: string, as: string | undefined): string {
  const name = as ?? deps.addons.get(providerName)?.defaultConfigVar ?? null;
  if (name === null) throw new DozenError('ADDON_ATTACHMENT_NAME_INVALID', `A ${providerName} add-on has no default config var: name one with --as NAME.`);
  if (!CONFIG_KEY_PATTERN.test(name) || name === 'PORT' || name.startsWith('DOZEN_')) {
    throw new DozenError('ADDON_ATTACHMENT_NAME_INVALID', `${JSON.stringify(name)} cannot be an attachment name: it must be a config var name (${CONFIG_KEY_PATTERN.source}), not PORT or DOZEN_*.`);
  }
  return name;
}

/** Never silently over a var the user set, nor over another attachment. */
export async function assertNameFree(deps: CoreDeps, app: App, name: string, userConfigKeys: string[]): Promise<void> {
  const taken = (await deps.store.listAttachments({ appId: app.id })).find((a) => a.name === name);
  if (taken) {
    const other = await deps.store.findAddonById(taken.addonId);
    throw new DozenError('ADDON_ATTACHMENT_NAME_TAKEN', `${app.name} already has ${name}: it is the attachment of ${other?.name ?? 'another add-on'}.`);
  }
  if (userConfigKeys.includes(name)) {
    throw new DozenError('ADDON_ATTACHMENT_NAME_TAKEN', `${app.name} already has a config var ${name} (set with config:set); attaching would silently replace it.`);
  }
}

export async function currentConfig(deps: CoreDeps, app: App): Promise<{ userKeys: string[] }> {
  const current = app.currentRelease === null ? undefined : await deps.store.findRelease(app.id, app.currentRelease);
  return { userKeys: userKeys(current) };
}

function userKeys(current: Release | undefined): string[] {
  const attached = current?.addonVars ?? [];
  return Object.keys(current?.config ?? {}).filter((key) => !attached.includes(key));
}

/** An add-on named by the user for an app: its add-on name (owned or attached there) or an attachment name. */
export async function resolveAddon(deps: CoreDeps, app: App, ref: string): Promise<Addon> {
  const attachments = await deps.store.listAttachments({ appId: app.id });
  const byName = await deps.store.findAddon(ref);
  if (byName && (byName.appId === app.id || attachments.some((a) => a.addonId === byName.id))) return byName;
  const attachment = attachments.find((a) => a.name === ref);
  const addon = attachment && (await deps.store.findAddonById(attachment.addonId));
  if (addon) return addon;
  throw new DozenError('ADDON_NOT_FOUND', `${app.name} has no add-on or attachment named ${ref}.`);
}
