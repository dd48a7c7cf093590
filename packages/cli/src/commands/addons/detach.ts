import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerAddonsDetach: Registrar = (program, context) => {
  appCommand(program, 'addons:detach', 'remove an attachment and its config var from the app (the add-on stays): a new release')
    .argument('<name>', 'the attachment name, e.g. DATABASE_URL')
    .option('--json', 'print JSON')
    .action(async (name: string, options: AppOptions) => {
      const app = requireAppName(options);
      const change = await context.client().call('detachAddon', { params: { app, name } });
      if (options.json) return printJson(change);
      print(`Detached ${change.addon.name} (${name}) from ${app}; ${change.release ? `released v${change.release.version}` : 'no new release'}.`);
    });
};
