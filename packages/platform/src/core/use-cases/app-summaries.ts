import type { CoreDeps } from '../deps.js';
import type { App, Permission, Principal, ProcessStatus } from '../model.js';
import { isFormationType } from '../procfile.js';
import { permissionsOn, visibleApps } from './access.js';

export interface AppSummary {
  name: string;
  webUrl: string;
  state: 'running' | 'crashed' | 'idle';
  currentRelease: number | null;
  processesUp: number;
  processesTotal: number;
  lastDeployAt: string | null;
  permissions: Permission[];
}

/** The dashboard's apps page: every app the caller may view, each with its state, in one answer. */
export async function listAppSummaries(deps: CoreDeps, caller: Principal): Promise<AppSummary[]> {
  const apps = await visibleApps(deps, caller);
  return Promise.all(apps.map((app) => summarise(deps, caller, app)));
}

async function summarise(deps: CoreDeps, caller: Principal, app: App): Promise<AppSummary> {
  const [formation, processes, release, permissions] = await Promise.all([
    deps.store.getFormation(app.id),
    deps.runtime.list(app.name),
    app.currentRelease === null ? undefined : deps.store.findRelease(app.id, app.currentRelease),
    permissionsOn(deps, caller, app),
  ]);
  const total = app.currentRelease === null ? 0 : Object.entries(formation).filter(([type]) => isFormationType(type)).reduce((sum, [, quantity]) => sum + quantity, 0);
  const running = processes.filter((p) => isFormationType(p.type) && Object.hasOwn(formation, p.type));
  const up = running.filter((p) => p.state === 'up').length;
  return {
    name: app.name,
    webUrl: deps.settings.webUrl(app.name),
    state: stateOf(running, up),
    currentRelease: app.currentRelease,
    processesUp: up,
    processesTotal: total,
    lastDeployAt: release?.createdAt ?? null,
    permissions,
  };
}

/** crashed: a process of the formation crashed; running: one is up; idle: none is (not deployed, scaled to 0, starting). */
function stateOf(processes: ProcessStatus[], up: number): AppSummary['state'] {
  if (processes.some((p) => p.state === 'crashed')) return 'crashed';
  return up > 0 ? 'running' : 'idle';
}
