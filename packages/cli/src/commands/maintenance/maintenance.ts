import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import type { CliContext } from '../../context.js';
import { print, printJson } from '../../output.js';

export const registerMaintenance: Registrar = (program, context) => {
  appCommand(program, 'maintenance', 'whether the app is in maintenance mode (on or off)')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const state = await context.client().call('getMaintenance', { params: { app } });
      if (options.json) return printJson(state);
      print(state.maintenance ? 'on' : 'off');
    });
};

export const registerMaintenanceOn: Registrar = (program, context) => {
  appCommand(program, 'maintenance:on', 'the router answers every request for the app with a 503 maintenance page (H80); processes keep running')
    .option('--json', 'print JSON')
    .action((options: AppOptions) => setMaintenance(context, options, true));
};

export const registerMaintenanceOff: Registrar = (program, context) => {
  appCommand(program, 'maintenance:off', 'the app answers its requests again')
    .option('--json', 'print JSON')
    .action((options: AppOptions) => setMaintenance(context, options, false));
};

async function setMaintenance(context: CliContext, options: AppOptions, on: boolean): Promise<void> {
  const app = requireAppName(options);
  const state = await context.client().call('setMaintenance', { params: { app }, body: { maintenance: on } });
  if (options.json) return printJson(state);
  print(on ? `Enabled maintenance mode for ${app}: requests get a 503 page (H80); its processes keep running.` : `Disabled maintenance mode for ${app}.`);
}
