import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { ProcessStatus, ProcessTypes } from '../model.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

export async function listProcesses(deps: CoreDeps, appName: string): Promise<ProcessStatus[]> {
  await requireApp(deps, appName);
  return deps.runtime.list(appName);
}

/**
 * Restarts all processes, those of one type (`web`) or one process (`web.2`); web processes
 * roll (the new one is up before the old one stops).
 */
export async function restartProcesses(deps: ActingDeps, appName: string, selector: string | undefined): Promise<ProcessStatus[]> {
  const app = await requireApp(deps, appName);
  const target = await currentRunTarget(deps, app);
  if (selector !== undefined) assertRestartable(selector, target?.processTypes ?? {}, await deps.runtime.list(appName));
  platformEvent(deps, appName, 'api', `Restarting ${selector ?? 'all'} processes by ${deps.actor}`);
  await deps.runtime.restart(appName, selector);
  return deps.runtime.list(appName);
}

/** Stops one process (SIGTERM, grace period, SIGKILL); the formation then starts a fresh one. */
export async function stopProcess(deps: ActingDeps, appName: string, name: string): Promise<ProcessStatus[]> {
  await requireApp(deps, appName);
  requireProcess(name, await deps.runtime.list(appName));
  platformEvent(deps, appName, 'api', `Stopping process ${name} by ${deps.actor}`);
  await deps.runtime.stop(appName, name);
  return deps.runtime.list(appName);
}

function assertRestartable(selector: string, processTypes: ProcessTypes, processes: ProcessStatus[]): void {
  if (!selector.includes('.')) {
    if (!Object.hasOwn(processTypes, selector)) {
      const known = Object.keys(processTypes).join(', ') || 'none';
      throw new DozenError('PROCESS_TYPE_UNKNOWN', `Unknown process type ${JSON.stringify(selector)}; the current release has: ${known}.`);
    }
    return;
  }
  const process = requireProcess(selector, processes);
  if (!Object.hasOwn(processTypes, process.type)) {
    throw new DozenError('PROCESS_NOT_FOUND', `${selector} is a one-off process: one-off processes are never restarted (stop it with ps:stop).`);
  }
}

function requireProcess(name: string, processes: ProcessStatus[]): ProcessStatus {
  const process = processes.find((p) => p.name === name && p.state !== 'stopping');
  if (!process) {
    const known = [...new Set(processes.map((p) => p.name))].join(', ') || 'none';
    throw new DozenError('PROCESS_NOT_FOUND', `There is no process ${JSON.stringify(name)}; running: ${known}.`);
  }
  return process;
}
