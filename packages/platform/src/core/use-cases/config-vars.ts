import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import { applyConfigChanges } from '../config-vars.js';
import type { ConfigVars, Release } from '../model.js';
import { requireApp } from './apps.js';
import { currentRelease, releaseAndRun } from './releases.js';

export async function getConfig(deps: CoreDeps, appName: string): Promise<ConfigVars> {
  const app = await requireApp(deps, appName);
  return (await currentRelease(deps, app))?.config ?? {};
}

/**
 * Sets (string) and unsets (null) config vars. Every effective change is a new release, rolled out
 * like a deploy; a change that leaves the config as it is makes no release.
 */
export async function updateConfig(
  deps: CoreDeps,
  appName: string,
  changes: Record<string, string | null>,
): Promise<{ config: ConfigVars; release: Release | null }> {
  if (Object.keys(changes).length === 0) throw new DozenError('INVALID_REQUEST', 'No config vars were given to set or unset.');
  applyConfigChanges({}, Object.fromEntries(Object.keys(changes).map((key) => [key, null])));
  const app = await requireApp(deps, appName);
  let config: ConfigVars = {};
  const release = await releaseAndRun(deps, appName, async (current) => {
    await refuseAttachedKeys(deps, app.id, Object.keys(changes));
    const before = current?.config ?? {};
    config = applyConfigChanges(before, changes);
    if (sameConfig(before, config)) return null;
    return { slugId: current?.slugId ?? null, buildId: current?.buildId ?? null, config, description: describe(changes), commit: current?.commit ?? null };
  });
  return { config, release };
}

/** A var that an attachment sets is the add-on's, not the user's (Heroku refuses it too). */
async function refuseAttachedKeys(deps: CoreDeps, appId: string, keys: string[]): Promise<void> {
  const attachments = await deps.store.listAttachments({ appId });
  const taken = attachments.find((a) => keys.includes(a.name));
  if (!taken) return;
  const addon = await deps.store.findAddonById(taken.addonId);
  throw new DozenError('CONFIG_VAR_ATTACHED', `${taken.name} is set by the add-on ${addon?.name ?? taken.addonId}; it cannot be changed with config:set or config:unset.`, {
    hint: `Detach it first (\`dozen addons:detach ${taken.name}\`), or attach the add-on under another name.`,
  });
}

function describe(changes: Record<string, string | null>): string {
  const set = Object.keys(changes).filter((k) => changes[k] !== null);
  const unset = Object.keys(changes).filter((k) => changes[k] === null);
  const parts = [];
  if (set.length > 0) parts.push(`Set ${set.join(', ')} config vars`);
  if (unset.length > 0) parts.push(`Unset ${unset.join(', ')} config vars`);
  return parts.join('; ');
}

function sameConfig(a: ConfigVars, b: ConfigVars): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
