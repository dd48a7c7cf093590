import type { Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerTokensList: Registrar = (program, context) => {
  program
    .command('tokens')
    .description('list your API tokens (the admin: every token); never the tokens themselves')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const tokens = await context.client().call('listTokens', {});
      if (options.json) return printJson(tokens);
      if (tokens.length === 0) return print('No tokens. Create one with `dozen tokens:create`.');
      print('=== Tokens');
      const state = (t: (typeof tokens)[number]) => (t.revokedAt ? `revoked ${ago(t.revokedAt)}` : t.expiresAt ? `expires ${t.expiresAt}` : 'no expiry');
      print(table(tokens.map((t) => [t.id, t.owner, t.app ?? 'all apps', t.permissions?.join(',') ?? 'all permissions', state(t), t.lastUsedAt ? `used ${ago(t.lastUsedAt)}` : 'never used', t.description])));
    });
};
