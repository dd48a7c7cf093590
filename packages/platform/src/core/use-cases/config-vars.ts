import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import { applyConfigChanges } from '../config-vars.js';
import type { App, ConfigVars, Release } from '../model.js';
import type { ReleaseChange, ReleasePlan } from '../release-plan.js';
import { requireApp } from './apps.js';
import { currentRelease } from './releases.js';
import { planChange, release } from './release-executor.js';

export async function getConfig(deps: CoreDeps, appName: string): Promise<ConfigVars> {
  const app = await requireApp(deps, appName);
  return (await currentRelease(deps, app))?.config ?? {};
}

/**
 * Sets (string) and unsets (null) config vars. Every effective change is a new release, rolled out
 * like a deploy; a change that leaves the config as it is makes no release.
 */
export async function updateConfig(deps: ActingDeps, appName: string, changes: Record<string, string | null>): Promise<{ app: App; config: ConfigVars; release: Release | null }> {
  const { app, change } = await configChange(deps, appName, changes);
  const outcome = await release(deps, app, change);
  const config = outcome.release?.config ?? (await currentRelease(deps, outcome.app))?.config ?? {};
  return { ...outcome, config };
}

/** What `updateConfig` would release and start, without doing it; null: nothing would change. */
export async function planConfig(deps: CoreDeps, appName: string, changes: Record<string, string | null>): Promise<{ app: App; plan: ReleasePlan | null }> {
  const { app, change } = await configChange(deps, appName, changes);
  return { app, plan: await planChange(deps, app, change) };
}

async function configChange(deps: CoreDeps, appName: string, changes: Record<string, string | null>): Promise<{ app: App; change: ReleaseChange }> {
  if (Object.keys(changes).length === 0) throw new DozenError('INVALID_REQUEST', 'No config vars were given to set or unset.');
  applyConfigChanges({}, Object.fromEntries(Object.keys(changes).map((key) => [key, null])));
  return { app: await requireApp(deps, appName), change: { kind: 'config', changes } };
}
