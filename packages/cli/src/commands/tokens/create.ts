import type { Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

interface CreateOptions {
  app?: string;
  permissions?: string;
  expiresIn?: string;
  description?: string;
  json?: boolean;
}

export const registerTokensCreate: Registrar = (program, context) => {
  program
    .command('tokens:create')
    .description('create an API token of yours, optionally limited to one app, some permissions and a lifetime; shown once')
    .option('-a, --app <name>', 'only this app')
    .option('--permissions <list>', 'only these permissions, comma-separated: view,deploy,operate,manage')
    .option('--expires-in <duration>', 'lifetime: 30m, 12h, 30d (at most 365d)')
    .option('--description <text>', 'what the token is for')
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions) => {
      const body: { app?: string; permissions?: string[]; expiresIn?: string; description?: string } = {};
      if (options.app !== undefined) body.app = options.app;
      if (options.permissions !== undefined) body.permissions = options.permissions.split(',').map((p) => p.trim()).filter(Boolean);
      if (options.expiresIn !== undefined) body.expiresIn = options.expiresIn;
      if (options.description !== undefined) body.description = options.description;
      const made = await context.client().call('createToken', { body });
      if (options.json) return printJson(made);
      print(`Token ${made.info.id} created (${made.info.app ?? 'all apps'}, ${made.info.permissions?.join(',') ?? 'all permissions'}${made.info.expiresAt ? `, expires ${made.info.expiresAt}` : ''}). It is shown once:`);
      print();
      print(`  ${made.token}`);
      print();
      print(`Use it as DOZEN_API_TOKEN, or as the password for git over HTTPS. Revoke it with \`dozen tokens:revoke ${made.info.id}\`.`);
    });
};
