import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerAccessRemove: Registrar = (program, context) => {
  appCommand(program, 'access:remove', 'take a collaborator off an app')
    .argument('<email>', 'the user')
    .action(async (email: string, options: AppOptions) => {
      const app = requireAppName(options);
      const removed = await context.client().call('removeAccess', { params: { app, email } });
      print(`${removed.email} no longer has access to ${app}.`);
    });
};
