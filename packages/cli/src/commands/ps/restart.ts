import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerPsRestart: Registrar = (program, context) => {
  appCommand(program, 'ps:restart', 'restart all processes, those of a type, or one process (web restarts roll)')
    .argument('[target]', 'a process type (web) or one process (web.2)')
    .option('--json', 'print JSON')
    .action(async (target: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const body = target === undefined ? {} : { type: target };
      const processes = await context.client().call('restartProcesses', { params: { app }, body });
      if (options.json) return printJson(processes);
      print(`Restarted ${target ?? 'all'} processes of ${app}.`);
    });
};
