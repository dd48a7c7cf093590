import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { Addon, AddonAttachment, App } from '../model.js';
import type { ReleaseChange, ReleasePlan } from '../release-plan.js';
import { CONFIG_KEY_PATTERN } from '../names.js';
import { requireApp } from './require-app.js';
import { addonView, type AddonView } from './addon-views.js';
import { planChange, release, type ReleaseOutcome } from './release-executor.js';

/** `addons:attach ADDON -a APP [--as NAME]`: an existing add-on, attached to one more app. */
export async function attachAddon(deps: ActingDeps, appName: string, addonName: string, as: string | undefined): Promise<{ view: AddonView } & ReleaseOutcome> {
  const { app, addon, change } = await attachChange(deps, appName, addonName, as);
  const outcome = await release(deps, app, change);
  return { view: await addonView(deps, addon), ...outcome };
}

/** What `attachAddon` would release and start, without doing it. */
export async function planAttach(deps: CoreDeps, appName: string, addonName: string, as: string | undefined): Promise<{ app: App; plan: ReleasePlan }> {
  const { app, change } = await attachChange(deps, appName, addonName, as);
  return { app, plan: (await planChange(deps, app, change)) as ReleasePlan };
}

async function attachChange(deps: CoreDeps, appName: string, addonName: string, as: string | undefined): Promise<{ app: App; addon: Addon; change: ReleaseChange }> {
  const app = await requireApp(deps, appName);
  const addon = await deps.store.findAddon(addonName);
  if (!addon) throw new DozenError('ADDON_NOT_FOUND', `There is no add-on named ${addonName}.`, { hint: 'Run `dozen addons` to list every add-on.' });
  return { app, addon, change: attachmentOf(deps, app, addon, attachmentName(deps, addon.provider, as)) };
}

/** `addons:detach NAME -a APP`: the attachment goes, with its config var, in a new release. */
export async function detachAddon(deps: ActingDeps, appName: string, name: string): Promise<{ view: AddonView } & ReleaseOutcome> {
  const { app, addon, change } = await detachChange(deps, appName, name);
  const outcome = await release(deps, app, change);
  return { view: await addonView(deps, addon), ...outcome };
}

/** What `detachAddon` would release and start, without doing it. */
export async function planDetach(deps: CoreDeps, appName: string, name: string): Promise<{ app: App; plan: ReleasePlan }> {
  const { app, change } = await detachChange(deps, appName, name);
  return { app, plan: (await planChange(deps, app, change)) as ReleasePlan };
}

async function detachChange(deps: CoreDeps, appName: string, name: string): Promise<{ app: App; addon: Addon; change: ReleaseChange }> {
  const app = await requireApp(deps, appName);
  const attachment = (await deps.store.listAttachments({ appId: app.id })).find((a) => a.name === name);
  if (!attachment) throw new DozenError('ADDON_NOT_FOUND', `${app.name} has no attachment named ${name}.`);
  const addon = (await deps.store.findAddonById(attachment.addonId)) as Addon;
  return { app, addon, change: { kind: 'detach', attachment, description: `Detach ${addon.name} (${name})` } };
}

/**
 * Attaches and releases in one change; if the release fails (its processes do not come up), the
 * attachment is taken back, so the app's add-ons and its serving config stay in step.
 */
export function attachmentOf(deps: CoreDeps, app: App, addon: Addon, name: string): ReleaseChange {
  const attachment: AddonAttachment = { id: deps.ids.next(), addonId: addon.id, appId: app.id, name, createdAt: deps.clock.now().toISOString() };
  return { kind: 'attach', attachment, addon };
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
