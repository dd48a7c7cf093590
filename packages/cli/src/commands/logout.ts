import type { Registrar } from '../command-kit.js';
import { forgetCredential } from '../credentials.js';
import { print } from '../output.js';

export const registerLogout: Registrar = (program, context) => {
  program
    .command('logout')
    .description('revoke the saved token on the platform and forget it')
    .action(async () => {
      if (context.tokenSource !== 'dozen login') return print(`No token saved by \`dozen login\` for ${context.apiUrl} (the token in use comes from ${context.tokenSource}).`);
      const { revoked } = await context.client().call('logout', {});
      forgetCredential(context.configDir, context.apiUrl);
      print(`Logged out of ${context.apiUrl}: token ${revoked} revoked and forgotten.`);
    });
};
