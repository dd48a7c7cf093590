import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

interface GrantOptions extends AppOptions {
  permissions?: string;
}

function permissionList(options: GrantOptions): string[] {
  if (!options.permissions) throw new DozenError('CLI_USAGE', 'No permissions given.', { hint: 'Pass --permissions with a comma-separated list of view, deploy, operate, manage.' });
  return options.permissions.split(',').map((p) => p.trim()).filter(Boolean);
}

/** access:add and access:update: the same flags, a different route. */
function registerGrant(name: 'access:add' | 'access:update', description: string): Registrar {
  return (program, context) => {
    appCommand(program, name, description)
      .argument('<email>', 'the user')
      .option('-p, --permissions <list>', 'comma-separated: view, deploy, operate, manage (view is always included)')
      .option('--json', 'print JSON')
      .action(async (email: string, options: GrantOptions) => {
        const app = requireAppName(options);
        const permissions = permissionList(options);
        const client = context.client();
        const done = name === 'access:add' ? await client.call('addAccess', { params: { app }, body: { email, permissions } }) : await client.call('updateAccess', { params: { app, email }, body: { permissions } });
        if (options.json) return printJson(done);
        print(`${done.email} has ${done.permissions.join(',')} on ${app}.`);
      });
  };
}

export const registerAccessAdd = registerGrant('access:add', 'give a user permissions on an app');
export const registerAccessUpdate = registerGrant('access:update', "replace a collaborator's permissions on an app");
