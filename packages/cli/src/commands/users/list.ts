import type { Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerUsersList: Registrar = (program, context) => {
  program
    .command('users')
    .description('list the users (admin)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const users = await context.client().call('listUsers', {});
      if (options.json) return printJson(users);
      if (users.length === 0) return print('No users yet. Add one with `dozen users:add EMAIL`.');
      print('=== Users');
      print(table(users.map((u) => [u.email, u.status, ago(u.createdAt)])));
    });
};
