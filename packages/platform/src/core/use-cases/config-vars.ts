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
  let config: ConfigVars = {};
  const release = await releaseAndRun(deps, appName, (current) => {
    const before = current?.config ?? {};
    config = applyConfigChanges(before, changes);
    if (sameConfig(before, config)) return null;
    return { slugId: current?.slugId ?? null, buildId: current?.buildId ?? null, config, description: describe(changes), commit: current?.commit ?? null };
  });
  return { config, release };
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
