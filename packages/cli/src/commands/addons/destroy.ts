import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerAddonsDestroy: Registrar = (program, context) => {
  appCommand(program, 'addons:destroy', 'detach an add-on everywhere (a release per app) and delete it with its data')
    .argument('<addon>', 'add-on name, or attachment name in the app')
    .option('--confirm <app>', 'repeat the owning app name to confirm')
    .action(async (addon: string, options: AppOptions & { confirm?: string }) => {
      const app = requireAppName(options);
      if (options.confirm !== app) {
        throw new DozenError('ADDON_DESTROY_UNCONFIRMED', `Destroying ${addon} deletes its data for good.`, { hint: `Run \`dozen addons:destroy ${addon} -a ${app} --confirm ${app}\`.` });
      }
      const done = await context.client().call('destroyAddon', { params: { app, addon }, query: { confirm: app } });
      for (const release of done.releases) print(`Detached from ${release.app}: released v${release.version}.`);
      print(`Destroyed ${done.addon}.`);
    });
};
