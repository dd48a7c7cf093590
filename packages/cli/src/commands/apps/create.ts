import type { Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerAppsCreate: Registrar = (program, context) => {
  program
    .command('apps:create')
    .description('create an app')
    .argument('<name>', 'app name: 2-30 characters, lowercase letters, digits and dashes')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const app = await context.client().call('createApp', { body: { name } });
      if (options.json) return printJson(app);
      print(`Created ${app.name}. Deploy it with \`dozen deploy DIR -a ${app.name}\`.`);
    });
};
