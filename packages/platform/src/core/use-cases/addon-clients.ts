import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps } from '../deps.js';
import type { AddonClientTool } from '../ports/addons.js';
import type { OneOff, OneOffRequest } from '../ports/runtime.js';
import { requireApp } from './require-app.js';
import { resolveAddon } from './attachments.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

const CLIENTS: Record<AddonClientTool, { defaultAddon: string; schemes: string[]; command: string }> = {
  psql: { defaultAddon: 'DATABASE_URL', schemes: ['postgres:', 'postgresql:'], command: 'pg:psql' },
  'redis-cli': { defaultAddon: 'REDIS_URL', schemes: ['redis:', 'rediss:'], command: 'redis:cli' },
};

export interface AddonClientRequest extends Pick<OneOffRequest, 'onStdout' | 'onStderr' | 'tty' | 'timeoutMs'> {
  /** Add-on or attachment name; default DATABASE_URL (psql) or REDIS_URL (redis-cli). */
  addon?: string | undefined;
  client: AddonClientTool;
  args: string[];
}

/**
 * `pg:psql` / `redis:cli`: the client as a one-off process of the app (factor XII), so it reaches
 * the add-on as the app does; the platform supplies the binary and the credentials.
 */
export async function startAddonClient(deps: ActingDeps, appName: string, request: AddonClientRequest): Promise<{ run: OneOff; release: number }> {
  const app = await requireApp(deps, appName);
  const spec = CLIENTS[request.client];
  if (!spec) throw new DozenError('INVALID_REQUEST', `There is no add-on client ${JSON.stringify(request.client)}.`);
  if (request.args.some((arg) => typeof arg !== 'string' || arg.includes('\u0000'))) throw new DozenError('RUN_COMMAND_INVALID', 'A client argument contains a NUL byte.');
  const addon = await resolveAddon(deps, app, request.addon ?? spec.defaultAddon);
  const scheme = new URL(addon.url).protocol;
  if (!spec.schemes.includes(scheme)) {
    throw new DozenError('ADDON_CLIENT_MISMATCH', `${addon.name} is a ${scheme.replace(/:$/, '')}:// add-on; ${spec.command} opens ${spec.schemes[0]}// ones.`);
  }
  const target = await currentRunTarget(deps, app);
  if (!target) throw new DozenError('NO_RELEASE', `${appName} has no deployed release to run ${request.client} from.`);
  const { command, env } = deps.addons.client(request.client, addon.url, request.args);
  const oneOff: OneOffRequest = { command, env, onStdout: request.onStdout, onStderr: request.onStderr };
  if (request.tty) oneOff.tty = request.tty;
  if (request.timeoutMs !== undefined) oneOff.timeoutMs = request.timeoutMs;
  const run = deps.runtime.runOneOff(target, oneOff);
  platformEvent(deps, appName, 'api', `Starting process ${run.name} with command \`${[request.client, ...request.args].join(' ')}\` on ${addon.name} by ${deps.actor}`);
  return { run, release: target.release };
}
