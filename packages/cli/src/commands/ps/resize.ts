import { DozenError } from '@dozen/contracts/errors';
import type { ProcessTypeInfo } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { printTypes } from './type.js';

const CHANGE = /^([A-Za-z0-9_-]+)=([a-z0-9-]+)$/;

/** `dozen ps:resize web=standard-2x worker=basic`: Heroku's command; each resized type restarts. */
export const registerPsResize: Registrar = (program, context) => {
  appCommand(program, 'ps:resize', 'show or set the process size of each type (web=standard-2x); resized types restart')
    .argument('[changes...]', 'TYPE=SIZE; none: show the size of each type')
    .option('--json', 'print JSON')
    .action(async (changes: string[], options: AppOptions) => {
      const app = requireAppName(options);
      const client = context.client();
      const parsed = changes.map(parseResize);
      if (parsed.length === 0) {
        const types = await client.call('listProcessTypes', { params: { app } });
        if (options.json) return printJson(types);
        return types.length === 0 ? print(`${app} has no process types yet: deploy it first.`) : printTypes(types);
      }
      const entries: ProcessTypeInfo[] = [];
      for (const { type, size } of parsed) entries.push(await client.call('updateProcessType', { params: { app, type }, body: { size } }));
      if (options.json) return printJson(entries);
      print(`Resized ${app}: ${entries.map((e) => `${e.type}=${e.size}`).join(' ')} (restarted).`);
    });
};

function parseResize(change: string): { type: string; size: string } {
  const match = CHANGE.exec(change);
  if (!match) throw new DozenError('CLI_USAGE', `${JSON.stringify(change)} is not TYPE=SIZE.`, { hint: 'Run for example `dozen ps:resize web=standard-2x -a APP`.' });
  return { type: match[1] as string, size: match[2] as string };
}
