import type { Registrar } from '../command-kit.js';
import { print, printJson } from '../output.js';

export const registerWhoami: Registrar = (program, context) => {
  program
    .command('whoami')
    .description('the user the token belongs to (or admin)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const who = await context.client().call('whoami', {});
      if (options.json) return printJson(who);
      print(who.label);
    });
};
