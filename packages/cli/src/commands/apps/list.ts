import type { Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAppsList: Registrar = (program, context) => {
  program
    .command('apps')
    .description('list apps')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const apps = await context.client().call('listApps', {});
      if (options.json) return printJson(apps);
      if (apps.length === 0) return print('No apps yet. Create one with `dozen apps:create NAME`.');
      print('=== Apps');
      print(table(apps.map((app) => [app.name, app.currentRelease === null ? 'not deployed' : `v${app.currentRelease}`])));
    });
};
