import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { OneOff, OneOffRequest } from '../ports.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

/** A one-off process from the current release (factor XII): same slug, same config. */
export async function startRun(deps: CoreDeps, appName: string, request: OneOffRequest): Promise<{ run: OneOff; release: number }> {
  const app = await requireApp(deps, appName);
  const { command } = request;
  if (command.length === 0 || command[0] === '' || command.some((arg) => typeof arg !== 'string' || arg.includes('\u0000'))) {
    throw new DozenError('RUN_COMMAND_INVALID', 'The command to run is empty or contains a NUL byte.');
  }
  const target = await currentRunTarget(deps, app);
  if (!target) throw new DozenError('NO_RELEASE', `${appName} has no deployed release to run a command from.`);
  const run = deps.runtime.runOneOff(target, request);
  platformEvent(deps, appName, 'api', `Starting process ${run.name} with command \`${command.join(' ')}\` by admin`);
  return { run, release: target.release };
}
