import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerPsStop: Registrar = (program, context) => {
  appCommand(program, 'ps:stop', 'stop one process (SIGTERM, grace period, SIGKILL); the formation starts a fresh one, a one-off is gone')
    .argument('<process>', 'a process name, e.g. web.2 or run.4821')
    .option('--json', 'print JSON')
    .action(async (name: string, options: AppOptions) => {
      const app = requireAppName(options);
      const processes = await context.client().call('stopProcess', { params: { app, process: name } });
      if (options.json) return printJson(processes);
      print(`Stopped ${name} of ${app}.`);
    });
};
