import type { CoreDeps } from '../deps.js';
import type { ProcessStatus } from '../model.js';
import { requireApp } from './apps.js';
import { assertKnownType } from './formation.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

export async function listProcesses(deps: CoreDeps, appName: string): Promise<ProcessStatus[]> {
  await requireApp(deps, appName);
  return deps.runtime.list(appName);
}

/** Restarts all processes or those of one type; web processes roll (new up before old stops). */
export async function restartProcesses(deps: CoreDeps, appName: string, type: string | undefined): Promise<ProcessStatus[]> {
  const app = await requireApp(deps, appName);
  const target = await currentRunTarget(deps, app);
  if (type !== undefined) assertKnownType(type, target?.processTypes ?? {});
  platformEvent(deps, appName, 'api', `Restarting ${type ?? 'all'} processes by admin`);
  await deps.runtime.restart(appName, type);
  return deps.runtime.list(appName);
}
