import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAccessList: Registrar = (program, context) => {
  appCommand(program, 'access', 'list who has access to an app, with their permissions')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const people = await context.client().call('listAccess', { params: { app } });
      if (options.json) return printJson(people);
      print(`=== ${app} access`);
      print(table(people.map((p) => [p.email, p.role, p.permissions.join(',')])));
    });
};
