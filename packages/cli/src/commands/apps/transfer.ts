import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerAppsTransfer: Registrar = (program, context) => {
  appCommand(program, 'apps:transfer', 'make another user the owner of an app (the previous owner keeps every permission as a collaborator)')
    .argument('<email>', 'the new owner')
    .action(async (email: string, options: AppOptions) => {
      const app = requireAppName(options);
      const owner = await context.client().call('transferApp', { params: { app }, body: { email } });
      print(`${app} now belongs to ${owner.email}.`);
    });
};
