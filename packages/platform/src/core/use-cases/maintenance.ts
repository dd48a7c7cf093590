import type { ActingDeps, CoreDeps } from '../deps.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';

/** Whether the app is in maintenance mode. */
export async function getMaintenance(deps: CoreDeps, appName: string): Promise<boolean> {
  const app = await requireApp(deps, appName);
  return deps.store.getMaintenance(app.id);
}

/**
 * Maintenance mode on or off (Heroku's `maintenance:on`): the router answers every request for
 * the app with a 503 page (H80); its processes keep running, nothing restarts.
 */
export async function setMaintenance(deps: ActingDeps, appName: string, on: boolean): Promise<boolean> {
  const app = await requireApp(deps, appName);
  await deps.store.setMaintenance(app.id, on);
  deps.domainRoutes.setMaintenance(app.name, on);
  platformEvent(deps, app.name, 'api', `Maintenance mode ${on ? 'enabled' : 'disabled'} by ${deps.actor}`);
  return on;
}

/** At start and when the edge is (re)connected: every app's flag to the router (level-triggered). */
export async function routeAllMaintenance(deps: CoreDeps): Promise<void> {
  const on = new Set(await deps.store.listMaintenance());
  for (const app of await deps.store.listApps()) deps.domainRoutes.setMaintenance(app.name, on.has(app.id));
}
