import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAppsInfo: Registrar = (program, context) => {
  appCommand(program, 'apps:info', 'show an app')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const info = await context.client().call('getApp', { params: { app: requireAppName(options) } });
      if (options.json) return printJson(info);
      const formation = Object.entries(info.formation).map(([type, n]) => `${type}=${n}`).join(' ') || 'none';
      print(`=== ${info.app.name}`);
      print(
        table([
          ['Web URL:', info.webUrl],
          ['Release:', info.app.currentRelease === null ? 'not deployed' : `v${info.app.currentRelease}`],
          ['Formation:', formation],
          ['Processes:', String(info.processCount)],
          ['Slug size:', info.slugSize === null ? '-' : `${(info.slugSize / 1024 / 1024).toFixed(1)} MB`],
          ['Created:', info.app.createdAt],
        ]),
      );
    });
};
