import type { Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerUsersAdd: Registrar = (program, context) => {
  program
    .command('users:add')
    .description('add a user (admin); prints a one-time setup code, shown once')
    .argument('<email>', 'their email')
    .option('--json', 'print JSON')
    .action(async (email: string, options: { json?: boolean }) => {
      const added = await context.client().call('addUser', { body: { email } });
      if (options.json) return printJson(added);
      print(`Added ${added.user.email}. Their one-time setup code (shown once, valid until ${added.expiresAt}):`);
      print();
      print(`  ${added.setupCode}`);
      print();
      print(`They choose a password with \`dozen login --setup ${added.setupCode}\` (DOZEN_API_URL=${context.apiUrl}), or at ${added.setupUrl}`);
    });
};
