import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerAppsDestroy: Registrar = (program, context) => {
  program
    .command('apps:destroy')
    .description('stop every process of an app and delete it with its releases, slugs and logs')
    .argument('[name]', 'the app to destroy')
    .option('-a, --app <name>', 'the app to destroy')
    .option('--confirm <name>', 'repeat the app name to confirm')
    .action(async (name: string | undefined, options: { app?: string; confirm?: string }) => {
      const app = name ?? options.app;
      if (!app) throw new DozenError('CLI_USAGE', 'No app given.', { hint: 'Run `dozen apps:destroy NAME --confirm NAME`.' });
      if (options.confirm !== app) {
        throw new DozenError('APP_DESTROY_UNCONFIRMED', `Destroying ${app} deletes its releases, slugs, config and logs, and cannot be undone.`, { hint: `Run \`dozen apps:destroy ${app} --confirm ${app}\`.` });
      }
      await context.client().call('destroyApp', { params: { app }, query: { confirm: app } });
      print(`Destroyed ${app}.`);
    });
};
