import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerDomainsRemove: Registrar = (program, context) => {
  appCommand(program, 'domains:remove', 'stop routing a custom domain to an app')
    .argument('<hostname>', 'the domain, as `dozen domains` lists it')
    .action(async (hostname: string, options: AppOptions) => {
      const app = requireAppName(options);
      await context.client().call('removeDomain', { params: { app, hostname } });
      print(`Removed ${hostname} from ${app}.`);
    });
};
