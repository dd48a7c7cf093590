import type { CoreDeps } from '../deps.js';
import { applyAttachmentVars } from '../attachment-vars.js';
import type { App, ConfigVars, Release } from '../model.js';

/** The config vars the app's attachments set now: attachment name -> add-on URL. */
export async function attachedVars(deps: Pick<CoreDeps, 'store'>, appId: string): Promise<ConfigVars> {
  const vars: ConfigVars = {};
  for (const attachment of await deps.store.listAttachments({ appId })) {
    const addon = await deps.store.findAddonById(attachment.addonId);
    if (addon) vars[attachment.name] = addon.url;
  }
  return vars;
}

/**
 * Every release carries the app's current attachments, whatever made it (deploy, config change,
 * rollback, add-on change): attachments are the truth for the vars they set.
 */
export async function configWithAttachments(
  deps: Pick<CoreDeps, 'store'>,
  app: App,
  current: Release | undefined,
  config: ConfigVars,
  staleAddonVars: readonly string[] = [],
): Promise<{ config: ConfigVars; addonVars: string[] }> {
  const attached = await attachedVars(deps, app.id);
  const stale = [...(current?.addonVars ?? []), ...staleAddonVars];
  return { config: applyAttachmentVars(config, stale, attached), addonVars: Object.keys(attached).sort() };
}
