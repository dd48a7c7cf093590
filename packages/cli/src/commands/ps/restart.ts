import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerPsRestart: Registrar = (program, context) => {
  appCommand(program, 'ps:restart', 'restart all processes, or those of one type (web restarts roll)')
    .argument('[type]', 'a process type, e.g. web')
    .option('--json', 'print JSON')
    .action(async (type: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const body = type === undefined ? {} : { type };
      const processes = await context.client().call('restartProcesses', { params: { app }, body });
      if (options.json) return printJson(processes);
      print(`Restarted ${type ?? 'all'} processes of ${app}.`);
    });
};
