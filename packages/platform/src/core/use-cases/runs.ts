import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps } from '../deps.js';
import type { OneOff, OneOffRequest } from '../ports/runtime.js';
import { assertSize } from '../process-sizes.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

export const RUN_TIMEOUT_MAX_SECONDS = 24 * 3600;

/** A one-off process from the current release (factor XII): same slug, same config, same sandbox. */
export async function startRun(deps: ActingDeps, appName: string, request: OneOffRequest): Promise<{ run: OneOff; release: number }> {
  const app = await requireApp(deps, appName);
  assertRunRequest(request);
  if (request.size !== undefined) assertSize(deps.settings.sizes, request.size, deps.settings.hostMemoryBytes);
  const target = await currentRunTarget(deps, app);
  if (!target) throw new DozenError('NO_RELEASE', `${appName} has no deployed release to run a command from.`);
  const run = deps.runtime.runOneOff(target, request);
  const how = request.tty ? ' on a terminal' : '';
  platformEvent(deps, appName, 'api', `Starting process ${run.name} with command \`${request.command.join(' ')}\`${how} by ${deps.actor}`);
  return { run, release: target.release };
}

/** A one-off whose output goes only to the app's log stream (`dozen run --detached`). */
export async function startDetachedRun(deps: ActingDeps, appName: string, command: string[], timeoutMs: number | undefined, size?: string): Promise<{ name: string; release: number }> {
  const request: OneOffRequest = { command, onStdout: () => undefined, onStderr: () => undefined };
  if (timeoutMs !== undefined) request.timeoutMs = timeoutMs;
  if (size !== undefined) request.size = size;
  const { run, release } = await startRun(deps, appName, request);
  run.endStdin();
  return { name: run.name, release };
}

function assertRunRequest(request: OneOffRequest): void {
  const { command } = request;
  if (command.length === 0 || command[0] === '' || command.some((arg) => typeof arg !== 'string' || arg.includes('\u0000'))) {
    throw new DozenError('RUN_COMMAND_INVALID', 'The command to run is empty or contains a NUL byte.');
  }
  const timeout = request.timeoutMs;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1000 || timeout > RUN_TIMEOUT_MAX_SECONDS * 1000)) {
    throw new DozenError('RUN_OPTIONS_INVALID', `A run timeout of ${timeout / 1000} s is not allowed: give whole seconds from 1 to ${RUN_TIMEOUT_MAX_SECONDS}.`);
  }
  const tty = request.tty;
  if (tty && (!validSize(tty.columns) || !validSize(tty.rows) || !/^[A-Za-z0-9._+-]{1,64}$/.test(tty.term))) {
    throw new DozenError('RUN_OPTIONS_INVALID', `A terminal of ${tty.columns}x${tty.rows} (TERM=${JSON.stringify(tty.term)}) is not allowed: sizes are whole numbers from 1 to 10000.`);
  }
}

function validSize(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 10_000;
}
