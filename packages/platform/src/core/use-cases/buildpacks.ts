import type { ActingDeps, CoreDeps } from '../deps.js';
import { parseBuildpackList } from '../buildpack-url.js';
import type { App } from '../model.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';

export async function getBuildpacks(deps: CoreDeps, appName: string): Promise<{ app: App; buildpacks: string[] }> {
  const app = await requireApp(deps, appName);
  return { app, buildpacks: await deps.store.getBuildpacks(app.id) };
}

/**
 * Replaces the app's buildpack list (empty: app.json `buildpacks`, else detection), used from the
 * next build on. What can be checked now (local paths, file:// repositories) is checked now.
 */
export async function setBuildpacks(deps: ActingDeps, appName: string, buildpacks: string[]): Promise<{ app: App; buildpacks: string[] }> {
  const app = await requireApp(deps, appName);
  parseBuildpackList(buildpacks);
  const list = buildpacks.map((b) => b.trim());
  await deps.builder.checkBuildpacks(list);
  await deps.store.setBuildpacks(app.id, list);
  platformEvent(deps, app.name, 'api', list.length > 0 ? `Buildpacks set to ${list.join(', ')} by ${deps.actor}` : `Buildpacks cleared by ${deps.actor}`);
  return { app, buildpacks: list };
}
