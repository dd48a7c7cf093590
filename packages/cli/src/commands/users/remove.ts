import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerUsersRemove: Registrar = (program, context) => {
  program
    .command('users:remove')
    .description('remove a user (admin): their tokens stop working, their apps pass to the admin')
    .argument('<email>', 'their email')
    .action(async (email: string) => {
      const { removed } = await context.client().call('removeUser', { params: { email } });
      print(`Removed ${removed}; their tokens no longer work.`);
    });
};
