import type { Drain } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerDrainsList: Registrar = (program, context) => {
  appCommand(program, 'drains', "list an app's log drains with their counters")
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const drains = await context.client().call('listDrains', { params: { app } });
      if (options.json) return printJson(drains);
      if (drains.length === 0) return print(`${app} has no drains. Add one with \`dozen drains:add URL -a ${app}\`.`);
      print(`=== ${app} drains`);
      print(table([['url', 'id', 'delivered', 'dropped', 'retries', 'queued', 'last error'], ...drains.map(row)]));
    });
};

function row(drain: Drain): string[] {
  const error = drain.lastError === null ? '' : `${drain.lastError} (${drain.lastErrorAt ?? ''})`;
  return [drain.url, drain.id, String(drain.delivered), String(drain.dropped), String(drain.retries), String(drain.queued), error];
}
