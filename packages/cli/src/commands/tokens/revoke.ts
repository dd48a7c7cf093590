import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerTokensRevoke: Registrar = (program, context) => {
  program
    .command('tokens:revoke')
    .description('revoke an API token by id: refused from the next request on')
    .argument('<id>', 'the token id (see `dozen tokens`)')
    .action(async (id: string) => {
      const token = await context.client().call('revokeToken', { params: { token: id } });
      print(`Token ${token.id} revoked.`);
    });
};
